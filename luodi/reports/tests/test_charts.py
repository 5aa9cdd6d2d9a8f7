"""The dashboard's charts: server-side SVG (no script, no style attribute), labelled, beside
the tables; a year with no data says so instead of showing zeros."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import L, S
from luodi.reports import charts, stats
from luodi.training.models import ClassStatus

pytestmark = pytest.mark.django_db


def _dashboard(client, query=""):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the English labels are asserted
    response = client.get(reverse("dashboard") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_draws_three_labelled_charts(client_as, college):
    html = _dashboard(client_as(S))
    found = re.findall(r'<svg class="chart" data-chart="([^"]+)"[^>]*role="img"', html)
    assert found == ["trend", "city", "class-type"]
    assert '<title id="chart-city-title">Person-times trained by city</title>' in html
    charts_html = "".join(re.findall(r"<svg.*?</svg>", html, re.S))
    assert "大连市: 2" in charts_html  # each bar's own title: label and figure
    assert "社区党组织书记培训班: 4" in charts_html
    assert "2024: 4" in charts_html


def test_no_chart_needs_a_script_or_a_style_attribute(client_as, college):
    charts_html = "".join(re.findall(r"<svg.*?</svg>", _dashboard(client_as(S)), re.S))
    assert charts_html
    assert "style=" not in charts_html
    assert "<script" not in charts_html
    assert "http" not in charts_html.replace("http://www.w3.org/2000/svg", "")


def test_the_class_type_table_stands_beside_its_chart(client_as, college):
    html = _dashboard(client_as(S))
    section = html[html.index('id="by-class-type"') :]
    assert "社区党组织书记培训班" in section
    assert '<td class="num">4</td>' in section


def test_a_liaisons_charts_are_their_citys(client_as, college):
    html = _dashboard(client_as(L))
    charts_html = "".join(re.findall(r"<svg.*?</svg>", html, re.S))
    assert "大连市: 2" in charts_html
    assert "沈阳市" not in charts_html


def test_a_year_with_no_data_says_so_instead_of_zeros(client_as, college):
    year = college.running.year  # a class in progress: nothing held, nobody trained yet
    html = _dashboard(client_as(S), f"?year={year}")
    assert 'data-testid="no-data"' in html
    assert "there are no figures for this year yet" in html
    assert 'data-testid="figures"' not in html
    assert 'data-chart="city"' not in html
    assert f"Nobody completed training in {year}." in html


def test_a_year_with_data_shows_its_figures(client_as, college):
    html = _dashboard(client_as(S), f"?year={college.finished.year}")
    assert 'data-testid="no-data"' not in html
    assert 'data-testid="figures"' in html
    assert 'data-chart="city"' in html


def test_a_year_between_two_with_data_is_marked_no_data_not_zero(college, make):
    later = make.training_class(
        college.class_type,
        start_date=dt.date(college.finished.year + 2, 5, 6),
        status=ClassStatus.FINISHED,
    )
    make.enrol(later, college.cadres_dalian[0])
    bars = charts.trend_bars(stats.by_year())
    assert [(b.label, b.value) for b in bars] == [
        (str(college.finished.year), 4),
        (str(college.finished.year + 1), None),
        (str(later.year), 1),
    ]
    with translation.override("en"):
        svg = charts.columns("Trend", bars, key="t", empty_label="no data")
    assert f"{college.finished.year + 1}: no data" in svg
    assert svg.count("<rect") == 2  # the gap is no bar of height zero


def test_labels_are_escaped():
    svg = charts.horizontal_bars("<b>", [charts.Bar('<script>alert("x")</script>', 3)], key="k")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert '<title id="chart-k-title">&lt;b&gt;</title>' in svg


def test_the_longest_bar_fills_the_width_and_the_others_scale():
    svg = charts.horizontal_bars("t", [charts.Bar("a", 10), charts.Bar("b", 5)], key="k")
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert widths[0] == charts.WIDTH - charts.LABEL_WIDTH - 40


def test_a_long_label_is_cut_in_the_drawing_but_whole_in_its_title():
    name = "社区党组织书记与居委会主任示范培训班"
    svg = charts.horizontal_bars("t", [charts.Bar(name, 3)], key="k")
    assert f"<title>{name}: 3</title>" in svg
    assert f">{name[: charts.LABEL_CHARACTERS]}…</text>" in svg
