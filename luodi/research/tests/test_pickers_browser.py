"""In a real browser: staff record a research project, choosing its principal, members and
courses with the searching pickers (``static/luodi/picker.js``) — by typing a name, its pinyin
or a word of a title — remove a member again, and save."""

import pytest
from django.urls import reverse

from conftest import pick_in_browser
from luodi.accounts.models import Role
from luodi.research.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_choose_teachers_and_courses_by_searching(
    browser_context, live_server, login_in_browser, users, college, make
):
    wang = make.teacher(name="王伟", source_unit="大连市民政局")
    zhao = make.teacher(name="赵敏", source_unit="沈阳市委党校")
    page = browser_context(viewport={"width": 1280, "height": 900})
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("research:project-new"))
    # The page lists no teacher or course: only the search boxes.
    assert page.locator("select[name=members] option").count() == 0
    page.fill("input[name=title]", "社区议事协商机制研究")
    page.fill("input[name=funder]", "民政部")
    page.select_option("select[name=level]", index=1)
    page.fill("input[name=start_date]", "2026-03-01")

    pick_in_browser(page, "principal", "王伟", "王伟 · 大连市民政局")
    pick_in_browser(page, "members", "zhaomin", "赵敏 · 沈阳市委党校")  # pinyin, no spaces
    pick_in_browser(page, "members", college.teacher.name)
    # Remove a member picked by mistake.
    page.get_by_role("button", name=f"移除 {college.teacher.name}").click()
    pick_in_browser(page, "courses", college.course.title[:2], college.course.title)
    # The keyboard picks too: the first match is highlighted, Enter takes it.
    page.locator("#id_members_search").fill("王")
    page.locator("#id_members_search_results li[aria-selected=true]").wait_for()
    page.keyboard.press("Enter")
    page.locator("select[name=members] + .picker .picker-chip", has_text="王伟").wait_for()
    page.click("form button.primary")
    page.wait_for_url("**/research/projects/*/")
    project = Project.objects.get(title="社区议事协商机制研究")
    assert project.principal == wang
    assert set(project.members.all()) == {zhao, wang}
    assert list(project.courses.all()) == [college.course]


def test_staff_filter_the_research_output_by_a_teacher_found_by_typing(
    browser_context, live_server, login_in_browser, users, output
):
    """The lists' teacher filter is a picker too: the page lists no teacher; the one typed is
    chosen, the list narrows to their output, and stays chosen on the filtered page."""
    page = browser_context(viewport={"width": 375, "height": 800})
    login_in_browser(page, users[Role.STAFF].username)
    page.goto(live_server.url + reverse("research:project-list"))
    assert page.locator("select[name=teacher] option[value]:not([value=''])").count() == 0
    pick_in_browser(page, "teacher", "liuyang", "刘洋")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(f"**teacher={output.liu.pk}**")
    listed = page.locator("table.data tbody").inner_text()
    assert output.p2.title in listed
    assert output.p3.title in listed
    assert output.p1.title not in listed
    page.locator("select[name=teacher] + .picker .picker-chip", has_text="刘洋").wait_for()
