"""``manage.py start_college``: a fresh Luodi becomes another province's college in one step,
or nothing changes."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from luodi.accounts.models import Role, User
from luodi.college.models import CollegeSettings
from luodi.lib import audit
from luodi.regions.models import Region

pytestmark = pytest.mark.django_db

STRONG = "Jilin-college-2026!"


def _start(monkeypatch, password=STRONG, **options):
    monkeypatch.setenv("LUODI_ADMIN_PASSWORD", password)
    out = io.StringIO()
    args = {"name": "吉林省社区干部学院", "province": "22", "admin": "jladmin", **options}
    call_command("start_college", stdout=out, **args)
    return out.getvalue()


def test_a_fresh_instance_becomes_a_jilin_college(monkeypatch):
    out = _start(monkeypatch)
    assert "吉林省社区干部学院 is set up: 吉林省, 9 cities" in out
    admin = User.objects.get()
    assert (admin.username, admin.role, admin.is_superuser) == ("jladmin", Role.ADMIN, True)
    assert admin.check_password(STRONG)
    assert CollegeSettings.load().printed_name == "吉林省社区干部学院"
    cities = set(Region.objects.cities().values_list("name", flat=True))
    assert {"长春市", "吉林市", "延边朝鲜族自治州"} <= cities
    assert not Region.objects.filter(code__startswith="21").exists()  # no Liaoning
    assert audit.recent("college.start")[-1]["details"]["province"] == "22"


def test_it_refuses_an_instance_in_use_a_weak_password_or_no_name(monkeypatch):
    with pytest.raises(CommandError, match=r"too short|too common"):
        _start(monkeypatch, password="123")
    with pytest.raises(CommandError, match=re.escape("Give the college's name.")):
        _start(monkeypatch, name="  ")
    with pytest.raises(CommandError, match="no province 99"):
        _start(monkeypatch, province="99")
    assert not User.objects.exists()  # nothing written by the refused starts
    assert not Region.objects.exists()
    assert not CollegeSettings.objects.exists()
    _start(monkeypatch)
    with pytest.raises(CommandError, match="already has users"):
        _start(monkeypatch, admin="another")
    assert User.objects.count() == 1


def test_the_new_college_imports_its_own_roster_into_its_own_districts(monkeypatch, tmp_path):
    """The README's way from a fresh machine to a college's roster, for Jilin: start_college,
    then the roster as a district sends it, its streets and communities made on the way."""
    from luodi.cadres.models import Cadre
    from luodi.lib.personal import make_id_number

    _start(monkeypatch)
    header = (
        "姓名,身份证号,性别,出生年月,政治面貌,学历,手机号,职务,参加社区工作时间,地市,区县,街道,社区"
    )
    rows = [header]
    for i, (name, gender, sequence) in enumerate([("王丽", "女", 102), ("李强", "男", 101)]):
        id_number = make_id_number("220102", f"1980{i + 1:02d}15", sequence)
        rows.append(
            f"{name},{id_number},{gender},1980.{i + 1:02d},中共党员,本科,1390431000{i},"
            "党委书记,2012-03,长春市,南关区,南岭街道,南岭社区"
        )
    roster = tmp_path / "南关区社区干部名册.csv"
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    call_command(
        "import_records",
        "cadres",
        str(roster),
        create_communities=True,
        username="jladmin",
        stdout=io.StringIO(),
    )
    cadres = Cadre.objects.select_related("community__street__parent__parent")
    assert {c.name for c in cadres} == {"王丽", "李强"}
    district = cadres[0].community.street.parent
    assert (district.code, district.name, district.parent.name) == ("220102", "南关区", "长春市")
