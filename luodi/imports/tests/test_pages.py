from django.urls import reverse

from luodi.accounts.models import Role
from luodi.cadres.models import Cadre
from luodi.imports.models import ImportRun, ImportStatus
from luodi.lib import audit


def test_a_roster_is_checked_then_imported_then_importing_it_again_changes_nothing(
    client_as, upload, college
):
    client = client_as(Role.STAFF)
    response = client.post(
        reverse("imports:index"), {"kind": "cadres", "file": upload("roster-excel.xlsx")}
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert run.status == ImportStatus.CHECKED
    assert (run.header_row, run.sheet) == (3, "花名册")
    assert run.summary["create"] == 4
    assert run.summary["problem_rows"] == 0
    assert not Cadre.objects.filter(name="王丽").exists()  # nothing written by the check
    page = client.get(run.get_absolute_url())
    assert 'data-testid="import-button"' in page.text
    assert "王 丽 · 李强 · 赵敏" in page.text  # the first values of the name column
    assert "139****0027" in page.text  # a phone's glimpse, masked
    assert "13904110027" not in page.text

    client.post(reverse("imports:commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    wang = Cadre.objects.get(name="王丽")
    assert (wang.community.name, wang.post, wang.phone) == ("拥警社区", "secretary", "13904110027")
    assert audit.recent("import.cadres")[-1]["details"]["created"] == "4"
    assert not run.file  # the uploaded file (whole ID numbers) is gone once imported

    client.post(reverse("imports:index"), {"kind": "cadres", "file": upload("roster.xls")})
    again = ImportRun.objects.latest("pk")
    assert again.summary["unchanged"] == 4
    assert again.summary["changes"] == 0
    assert 'data-testid="nothing-to-do"' in client.get(again.get_absolute_url()).text
    assert client.post(reverse("imports:commit", args=[again.pk])).status_code == 302
    again.refresh_from_db()
    assert again.status == ImportStatus.CHECKED


def test_the_report_names_row_column_value_and_reason(client_as, upload, college, settings):
    client = client_as(Role.STAFF)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("imports:index"), {"kind": "cadres", "file": upload("roster-errors.xlsx")})
    run = ImportRun.objects.get()
    problems = {(row, column): (value, reason) for row, column, value, reason in run.problems}
    assert "lost its last digits" in problems[(4, "ID number")][1]
    assert problems[(4, "ID number")][0].startswith("2102")
    assert "*" in problems[(4, "ID number")][0]
    assert problems[(5, "community")] == (
        "桃源",
        "no such community (tick “create missing communities” to add it)",
    )
    assert problems[(6, "gender")][1] == "does not match the ID number"
    assert problems[(6, "birth date")][1].startswith("does not match the ID number")
    assert problems[(6, "mobile phone")] == ("139**11", "not a mainland mobile number")
    assert problems[(8, "ID number")][1] == "the same ID number as row 7"
    assert problems[(9, "full name")][1] == "required, but empty"
    assert problems[(9, "political status")] == ("积极分子", "not a known political status")
    assert not run.can_import
    client.post(reverse("imports:commit", args=[run.pk]))
    assert Cadre.objects.count() == 4  # the college's own, nothing added


def test_old_uploads_are_deleted_and_their_runs_say_so(client_as, upload, college, settings):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    client = client_as(Role.STAFF)
    client.post(reverse("imports:index"), {"kind": "cadres", "file": upload("roster.xls")})
    run = ImportRun.objects.get()
    path = run.file.path
    call_command("purge_imports")
    run.refresh_from_db()
    assert run.file  # not old yet
    ImportRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=settings.LUODI_JOB_FILE_RETENTION_HOURS + 1)
    )
    call_command("purge_imports")
    run.refresh_from_db()
    assert not run.file
    assert run.status == ImportStatus.FAILED
    import os

    assert not os.path.exists(path)
    page = client.get(run.get_absolute_url())
    assert page.status_code == 200
    assert "upload it again" in page.text or "重新上传" in page.text


def test_the_column_list_never_shows_a_whole_id_or_phone_number():
    from luodi.imports.base import glimpse

    assert glimpse("139 0411 0027") == "139****0027"
    assert glimpse("+86 13904110027") == "+86 139****0027"
    assert glimpse("210202198503150027") == "2102**********0027"
    assert glimpse(2.10202198503150e17).startswith("2102**********")
    assert glimpse("1985.03") == "1985.03"
    assert glimpse("2012-06-01") == "2012-06-01"
    assert glimpse("拥警社区") == "拥警社区"
