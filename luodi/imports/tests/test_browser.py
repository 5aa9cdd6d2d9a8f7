"""Staff import a district's roster in the browser: upload, read the report, correct a column
the office named its own way, import, and see what was written."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from luodi.accounts.models import Role
from luodi.cadres.models import Cadre
from luodi.imports.models import SavedHeader
from luodi.imports.tests.conftest import FILES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_upload_correct_a_column_and_import(
    browser_context, login_in_browser, users, college, live_server, tmp_path
):
    # The office called the phone column its own way: Luodi cannot know it.
    workbook = load_workbook(FILES / "roster-excel.xlsx")
    workbook.active["O3"] = "本人联系方式（手机）"
    path = tmp_path / "中山区花名册.xlsx"
    workbook.save(path)

    page = browser_context(viewport={"width": 1280, "height": 900})
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("imports:index"))
    page.select_option("select[name=kind]", "cadres")
    page.set_input_files("input[name=file]", str(path))
    page.click("form[enctype] button.primary")
    page.wait_for_selector("[data-testid=import-button]")
    assert page.inner_text("[data-testid=count-create]") == "新增4"  # the page is in Chinese
    assert not Cadre.objects.filter(name="王丽").exists()

    page.select_option("select[aria-label='本人联系方式(手机)']", "phone")
    page.check("input[name=remember]")
    page.click("text=按此列设置重新检查")
    page.wait_for_selector("[data-testid=import-button]")
    assert SavedHeader.objects.get(header="本人联系方式").field == "phone"
    page.click("[data-testid=import-button]")
    page.wait_for_selector("[data-testid=import-status]:has-text('已导入')")
    assert "导入完成：新增4，更新0，无变化0。" in page.inner_text("#import-state")
    assert Cadre.objects.get(name="王丽").phone == "13904110027"

    # The report of the import downloads as a workbook.
    with page.expect_download() as download:
        page.click(".job a.button")
    rows = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert rows.sheetnames[:2] == ["问题", "各行处理"]
