"""The figures are kept per data version (``lib.data_version``): served from the cache until a
counted record changes, never after; ``check_figures`` finds a write that slipped past."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from luodi.accounts.models import Role
from luodi.cadres.models import Post
from luodi.certificates.services import certificate_revoke, certificates_issue_for_class
from luodi.lib import data_version
from luodi.regions.models import Community
from luodi.reports import stats, work
from luodi.reports.apps import COUNTED
from luodi.reports.figure_check import check
from luodi.reports.stats import Scope
from luodi.training.models import ClassStatus, Enrolment, EnrolmentStatus
from luodi.training.services.completion import enrolment_override
from luodi.training.services.planning import class_set_status

pytestmark = pytest.mark.django_db


def test_every_counted_model_makes_a_new_version_on_any_write():
    for label in COUNTED:
        model = apps.get_model(label)
        assert issubclass(type(model.objects.all()), data_version.CountedQuerySet), label
        assert post_save.has_listeners(model), label


def test_a_figure_is_served_from_the_cache_until_a_counted_record_changes(
    college, users, django_assert_num_queries
):
    scope = Scope()
    first = stats.figures(scope)
    assert first.person_times == 4
    with django_assert_num_queries(2):  # the data version and the figure: no enrolment read
        assert stats.figures(scope) == first
    enrolment = Enrolment.objects.filter(training_class=college.finished).first()
    enrolment_override(
        enrolment=enrolment,
        status=EnrolmentStatus.NOT_COMPLETED,
        reason="缺课",
        by=users[Role.STAFF],
    )
    assert stats.figures(scope).person_times == 3  # in the same transaction as the write


def test_a_bulk_update_makes_a_new_version(college):
    assert stats.figures(Scope()).person_times == 4
    Enrolment.objects.filter(training_class=college.finished).update(
        status=EnrolmentStatus.NOT_COMPLETED
    )
    assert stats.figures(Scope()).person_times == 0


def test_the_warm_dashboard_reads_no_enrolment(college, client_as):
    client = client_as(Role.STAFF)
    assert client.get(reverse("dashboard")).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.context["summary"].person_times == 4
    read = " ".join(q["sql"] for q in captured.captured_queries)
    assert "training_enrolment" not in read
    assert "cadres_cadre" not in read


def test_the_figures_match_the_records_after_each_kind_of_write(college, users, make):
    """Warm every figure, change the records through the services and the ORM's other paths,
    and have the check compare what is served with the records each time."""
    staff = users[Role.STAFF]
    added, issued = [], []
    assert check().differences == []
    writes = [
        lambda: enrolment_override(
            enrolment=Enrolment.objects.filter(training_class=college.finished).first(),
            status=EnrolmentStatus.WITHDRAWN,
            reason="病假",
            by=staff,
        ),
        # The certificates due (the to-do list): issued in bulk outside the ORM (``lib.bulk``),
        # revoked through the ORM.
        lambda: issued.extend(
            certificates_issue_for_class(training_class=college.finished, by=staff)
        ),
        lambda: certificate_revoke(certificate=issued[0], by=staff, reason="信息有误"),
        lambda: class_set_status(
            training_class=college.finished, status=ClassStatus.ARCHIVED, by=staff
        ),
        lambda: (
            college.cadres_shenyang[0]
            .__class__.objects.filter(pk=college.cadres_shenyang[0].pk)
            .update(post=Post.DEPUTY_SECRETARY)
        ),
        lambda: added.append(make.community(college.streets[1])),
        lambda: Community.objects.filter(pk=added[0].pk).delete(),
        lambda: make.enrol(
            make.training_class(college.class_type, start_date=dt.date(2021, 3, 1)),
            college.cadres_dalian[0],
        ),
    ]
    for write in writes:
        write()
        result = check()
        assert result.checked > 20
        assert result.differences == []
    call_command("check_figures", verbosity=0)


def test_the_check_reports_a_write_that_bypassed_the_version(college):
    call_command("check_figures", verbosity=0)  # warms the cache
    with connection.cursor() as cursor:  # outside the ORM, without ``data_version.bump``
        cursor.execute(
            "UPDATE training_enrolment SET status = %s WHERE training_class_id = %s",
            [EnrolmentStatus.NOT_COMPLETED, college.finished.pk],
        )
    with pytest.raises(CommandError, match="figures differ from the records"):
        call_command("check_figures", verbosity=0)
    data_version.bump()
    call_command("check_figures", verbosity=0)


def test_a_committed_change_warms_the_figures_again(
    college, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.LUODI_WARM_FIGURES = True
    assert stats.figures(Scope()).person_times == 4
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Enrolment.objects.filter(training_class=college.finished).update(
            status=EnrolmentStatus.NOT_COMPLETED
        )
    assert callbacks  # the new version after the commit, and the warming it schedules
    # The warming task ran (at once, as tests run background tasks) in the college's language:
    # the figures are there.
    with translation.override(settings.LANGUAGE_CODE):
        with django_assert_num_queries(2):
            assert stats.figures(Scope()).person_times == 0
        with django_assert_num_queries(2):
            assert stats.figures(Scope(city=college.dalian)).person_times == 0


def test_the_check_reports_a_certificate_revoked_behind_the_versions_back(college, users):
    (certificate, *_rest) = certificates_issue_for_class(
        training_class=college.finished, by=users[Role.STAFF]
    )
    assert work.certificates_due() == {}
    with connection.cursor() as cursor:  # outside the ORM, without ``data_version.bump``
        cursor.execute(
            "UPDATE certificates_certificate SET revoked_at = %s, revoke_reason = %s WHERE id = %s",
            [timezone.now(), "错发", certificate.pk],
        )
    (difference,) = check().differences
    assert difference.figure == "certificates due per class"
    assert difference.records == {college.finished.pk: 1}
    data_version.bump()
    assert check().differences == []
