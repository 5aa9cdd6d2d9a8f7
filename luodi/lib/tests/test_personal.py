import pytest

from luodi.lib import personal, pinyin

VALID = personal.make_id_number("210203", "19750101", 123)


def test_it_builds_numbers_that_validate():
    assert personal.validate_id_number(VALID) == VALID
    assert personal.id_number_is_male(VALID)


def test_it_accepts_full_width_spaces_and_lower_case_x():
    number = personal.make_id_number("210203", "19750101", 4)
    while not number.endswith("X"):  # find one whose check digit is X
        number = personal.make_id_number("210203", "19750101", int(number[14:17]) + 1)
    fancy = " " + "".join(chr(ord(ch) + 0xFEE0) for ch in number[:-1]) + "x "
    assert personal.validate_id_number(fancy) == number


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (VALID[:-1] + ("0" if VALID[-1] != "0" else "1"), "checksum"),
        (personal.make_id_number("210203", "19801301", 123), "birth_date"),
        (VALID[:15], "length"),  # what Excel keeps of an 18-digit number
        (personal.make_id_number("999999", "19800101", 123), "area_code"),
        ("2102031975O1011234", "format"),
        ("", "length"),
    ],
)
def test_it_names_the_reason_a_number_is_invalid(value, reason):
    with pytest.raises(personal.InvalidIdNumber) as exc:
        personal.validate_id_number(value)
    assert str(exc.value) == reason


def test_it_accepts_an_area_code_created_after_the_birth_year():
    # 沙河口区 (210204) exists from 1983; people born earlier still carry it.
    assert personal.validate_id_number(personal.make_id_number("210204", "19700101", 5))


def test_it_masks_id_numbers_and_phones():
    assert personal.mask_id_number("21020319750101123X") == "2102**********123X"
    assert personal.mask_phone("13812345678") == "138****5678"
    assert personal.mask_id_number("") == personal.mask_phone("") == ""


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("13812345678", True),
        # Full-width digits on purpose: a number typed with a Chinese IME still counts.
        ("１３８１２３４５６７８", True),  # noqa: RUF001
        ("12812345678", False),
        ("1381234567", False),
        ("138123456789", False),
        ("0411-8888888", False),
    ],
)
def test_it_checks_mainland_mobile_numbers(value, ok):
    assert personal.is_valid_phone(value) is ok


def test_digest_is_keyed_and_ignores_formatting():
    a = personal.id_number_digest(VALID, "k1")
    assert a == personal.id_number_digest(f" {VALID.lower()} ", "k1")
    assert a != personal.id_number_digest(VALID, "k2")
    assert VALID not in a


def test_pinyin_forms_of_names():
    assert pinyin.full("张三丰") == "zhang san feng"
    assert pinyin.initials("宋娟") == "sj"
