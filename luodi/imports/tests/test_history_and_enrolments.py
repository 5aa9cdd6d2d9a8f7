from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from luodi.accounts.models import Role
from luodi.imports import kinds, services
from luodi.imports.reading import check_file
from luodi.reports import stats
from luodi.training.models import ClassQuota, ClassStatus, Enrolment, EnrolmentStatus, TrainingClass


def run(upload, kind, name, by=None, **options):
    file = upload(name)
    import_kind = kinds.get(kind)
    table = services.read_table(import_kind, file, check_file(file))
    options.setdefault("training_class", None)
    return services.commit(import_kind, table, options=options, by=by)


@pytest.fixture
def roster(upload, college):
    plan = run(upload, "cadres", "roster-excel.xlsx")
    assert plan.problems == []


def test_past_classes_are_created_archived_with_results_and_counted(upload, college, roster):
    before = stats.summary()
    plan = run(upload, "history", "history.xlsx")
    assert plan.problems == []
    assert [o.action for o in plan.outcomes] == ["create"] * 4
    c2019 = TrainingClass.objects.get(year=2019, term=3)
    assert (c2019.status, c2019.capacity, c2019.seats_taken) == (ClassStatus.ARCHIVED, 3, 3)
    results = {e.cadre.name: (e.status, e.hours_credited) for e in c2019.enrolments.all()}
    assert results == {
        "王丽": (EnrolmentStatus.COMPLETED, Decimal(30)),
        "李强": (EnrolmentStatus.COMPLETED, Decimal(30)),
        "赵敏": (EnrolmentStatus.NOT_COMPLETED, Decimal(0)),
    }
    c2020 = TrainingClass.objects.get(year=2020, term=1)
    assert c2020.enrolments.get().cadre.name == "孙伟"
    after = stats.summary()
    assert after.classes_held == before.classes_held + 2
    assert after.person_times == before.person_times + 3

    again = run(upload, "history", "history.xlsx")
    assert [o.action for o in again.outcomes] == ["unchanged"] * 4
    assert not again.changes_anything


def test_a_class_run_in_luodi_is_never_changed_by_a_history_file(upload, college, roster):
    file = upload("history.xlsx")
    kind = kinds.get("history")
    table = services.read_table(kind, file, check_file(file))
    finished = college.finished
    rows = [list(r) for r in table.rows]
    rows[3][1] = finished.title
    rows[3][4], rows[3][5] = finished.start_date, finished.end_date
    plan = services.check(kind, services.Table("", rows, 2, table.mapping), options={})
    assert [(p.row, p.reason) for p in plan.problems] == [
        (4, "this class was run in Luodi; its results are recorded there")
    ]


def test_enrolments_go_through_the_quota(upload, college, roster, users):
    running = college.running
    staff = users[Role.STAFF]
    ClassQuota.objects.create(training_class=running, city=college.dalian, quota=2, used=1)
    file = upload("enrolments.xlsx")
    kind = kinds.get("enrolments")
    table = services.read_table(kind, file, check_file(file))
    plan = services.check(kind, table, options={"training_class": running})
    assert [(p.row, p.reason) for p in plan.problems] == [(5, "no place is left in 大连市's quota")]
    ClassQuota.objects.filter(training_class=running).update(quota=3)
    plan = run(upload, "enrolments", "enrolments.xlsx", staff, training_class=running)
    assert plan.problems == []
    names = set(
        Enrolment.objects.filter(
            training_class=running, status=EnrolmentStatus.ENROLLED
        ).values_list("cadre__name", flat=True)
    )
    assert {"王丽", "李强"} <= names
    assert [
        o.action
        for o in run(upload, "enrolments", "enrolments.xlsx", training_class=running).outcomes
    ] == ["unchanged"] * 2


def test_the_command_reports_and_exits_non_zero_when_it_wrote_nothing(college, users, capsys):
    from luodi.imports.tests.conftest import FILES

    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_records", "cadres", str(FILES / "roster-errors.xlsx"))
    out = capsys.readouterr().out
    assert "row 4\tID number" in out
    assert "row 8\tID number" in out

    call_command("import_records", "cadres", str(FILES / "roster-gbk.csv"), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    from luodi.cadres.models import Cadre

    assert not Cadre.objects.filter(name="王丽").exists()
    call_command("import_records", "cadres", str(FILES / "roster-gbk.csv"))
    assert "4 new" in capsys.readouterr().out
    assert Cadre.objects.filter(name="王丽").exists()
    call_command("import_records", "cadres", str(FILES / "roster.xls"))
    assert "Nothing to change" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--class"):
        call_command("import_records", "enrolments", str(FILES / "enrolments.xlsx"))
