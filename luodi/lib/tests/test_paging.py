"""List pages count up to ``COUNT_LIMIT`` rows (``lib.paging.CappedPaginator``): past it a list
reads "more than N records" and pages on by its "Next" link; below it, as before."""

import pytest
from django.urls import reverse

from luodi.accounts.models import Role
from luodi.cadres.models import Cadre
from luodi.lib.paging import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_staff(client_as, settings):
    settings.LUODI_PAGE_SIZE = 2
    client = client_as(Role.STAFF)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(client, number):
    response = client.get(reverse("cadres:cadre-list"), {"page": number})
    assert response.status_code == 200
    return response.context["page"], response.content.decode()


def test_past_the_limit_a_list_pages_on_without_a_total(
    college, english_staff, monkeypatch, settings
):
    settings.LUODI_PAGE_SIZE = 1
    monkeypatch.setattr(CappedPaginator, "limit", 3)
    total = Cadre.objects.count()
    assert total > 3  # the stock college's cadres, one a page
    last = total
    seen = []
    for number in range(1, last + 1):
        page, html = _page(english_staff, number)
        assert page.paginator.capped
        assert "More than 3 records" in html
        assert f"Page {number}</span>" in html  # no "of N": the pages are not counted
        assert ('rel="next"' in html) == (number < last)
        assert ('rel="prev"' in html) == (number > 1)
        seen += [c.pk for c in page.object_list]
    assert sorted(seen) == sorted(Cadre.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == total
    # A page past the end: the list is counted exactly and its last page shown.
    page, html = _page(english_staff, last + 5)
    assert not page.paginator.capped
    assert page.number == last
    assert f"{total} records" in html
    assert f"Page {last} of {last}" in html
    # A page number no list reaches (an OFFSET the database could not take): the last page.
    page, _html = _page(english_staff, "9" * 30)
    assert page.number == last


def test_under_the_limit_the_list_is_counted(college, english_staff):
    total = Cadre.objects.count()
    page, html = _page(english_staff, 1)
    assert not page.paginator.capped
    assert page.paginator.count == total
    assert f"{total} records" in html
    assert f"Page 1 of {-(-total // 2)}" in html
