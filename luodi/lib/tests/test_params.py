import pytest
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404

from luodi.lib.params import MAX_ID, IdConverter, parse_id, parse_int, parse_text


@pytest.mark.parametrize(
    "value", ["", None, "0", "-1", "1e9", "abc", "²", "٣", " ", str(MAX_ID + 1), "9" * 30]
)
def test_it_finds_no_key_in_what_cannot_be_one(value):
    assert parse_id(value) is None


def test_it_reads_a_key():
    assert parse_id("42") == 42
    assert parse_id(" 42 ") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID


def test_it_keeps_a_number_within_its_bounds():
    assert parse_int("2024", low=2000, high=2100) == 2024
    assert parse_int("99999", low=2000, high=2100) is None


def test_it_cleans_search_text():
    assert parse_text(" 张\x00三 ") == "张三"
    assert parse_text(None) == ""
    assert len(parse_text("x" * 5000)) == 100


def test_the_id_converter_matches_keys_only():
    converter = IdConverter()
    assert converter.to_python("7") == 7
    for value in ("0", str(MAX_ID + 1)):
        with pytest.raises(ValueError, match=f"^{value}$"):
            converter.to_python(value)


def test_an_id_no_row_can_have_matches_no_url():
    assert resolve(reverse("archive:cadre-detail", args=[MAX_ID])).url_name == "cadre-detail"
    for value in ("0", str(MAX_ID + 1), "9" * 30, "-1"):
        with pytest.raises(Resolver404):
            resolve(f"/cadres/{value}/")
