"""The demo college generator: ``manage.py seed_demo``."""

import ast
import datetime as dt
import io
from collections import Counter, defaultdict
from itertools import pairwise

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef
from django.test import RequestFactory, override_settings
from django.utils import translation

from conftest import module_transaction, settings_for_tests
from luodi.accounts.models import User
from luodi.cadres.models import Cadre
from luodi.demo import data
from luodi.faculty.models import PoliticalReview, ReviewStatus, Teacher
from luodi.lib import personal
from luodi.regions.models import Community, Region
from luodi.training.models import Attendance, ClassStatus, Enrolment, Session, TrainingClass

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 13)  # a Wednesday
SCALE = "0.05"


def seed(*args: str, today: dt.date = TODAY, scale: str = SCALE) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--scale", scale, "--today", today.isoformat(), *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything that must repeat for a seed and day, ids included."""
    return {
        "cadres": sorted(Cadre.objects.values_list("id", "id_number", "name", "phone", "post")),
        "classes": sorted(
            (c.id, c.title, c.start_date, c.end_date, c.status, c.venue, c.head_teacher_id)
            for c in TrainingClass.objects.select_related("class_type")
        ),
        "sessions": sorted(
            Session.objects.values_list("id", "training_class", "date", "slot", "course", "teacher")
        ),
        "enrolments": sorted(
            Enrolment.objects.values_list("training_class", "cadre__id_number", "status")
        ),
        "attendance": sorted(
            Attendance.objects.values_list("enrolment", "session", "status", "checked_in_at")
        ),
    }


@pytest.fixture(scope="module")
def _demo_of_the_module(django_db_setup, django_db_blocker, _media_root):
    """One demo college for the tests that only read it (built once: it takes seconds)."""
    with (
        override_settings(**settings_for_tests(_media_root)),
        translation.override("en"),
        module_transaction(django_db_blocker, "_demo_of_the_module"),
    ):
        with django_db_blocker.unblock():
            out = seed()
        yield out


@pytest.fixture
def college(db, _demo_of_the_module):
    return _demo_of_the_module


def test_it_builds_the_same_college_for_the_same_seed_and_day():
    with transaction.atomic():
        seed("--seed", "7")
        first = snapshot()
        transaction.set_rollback(True)
    seed("--seed", "7")
    assert snapshot() == first
    assert len(first["attendance"]) > 1000


def test_it_builds_another_college_for_another_seed():
    with transaction.atomic():
        seed("--seed", "7")
        first = snapshot()
        transaction.set_rollback(True)
    seed("--seed", "8")
    assert snapshot()["cadres"] != first["cadres"]


def test_sizes_grow_in_proportion_to_the_scale():
    sizes = {}
    for scale in ("0.05", "0.1"):
        with transaction.atomic():
            seed(scale=scale)
            sizes[scale] = (Community.objects.count(), Cadre.objects.count())
            held = TrainingClass.objects.held().filter(year__lt=TODAY.year).count()
            assert held == 4 * max(1, round(25 * float(scale)))
            assert Region.objects.cities().count() == 14
            transaction.set_rollback(True)
    assert sizes["0.05"][0] == 75
    assert sizes["0.1"][0] == 150
    for communities, cadres in sizes.values():
        assert 3.5 <= cadres / communities <= 4.5


def test_the_article_communities_are_in_their_cities(college):
    for city, _district, name in data.ARTICLE_COMMUNITIES:
        community = Community.objects.get(name=f"{name}社区", city__name=city)
        secretary = community.cadres.get(post="secretary")
        assert secretary.name in {c[0] for c in data.ARTICLE_CADRES}


def test_every_cadre_has_a_valid_unique_id_number_and_consistent_profile(college):
    cadres = list(Cadre.objects.all())
    assert len({c.id_number for c in cadres}) == len(cadres)
    assert len({c.phone for c in cadres}) == len(cadres)
    for cadre in cadres:
        number = personal.validate_id_number(cadre.id_number)
        assert number[6:14] == cadre.birth_date.strftime("%Y%m%d")
        assert personal.id_number_is_male(number) == (cadre.gender == "M")
        assert personal.is_valid_phone(cadre.phone)
        age = (TODAY - cadre.birth_date).days / 365.25
        assert 25 <= age <= 61
        assert (cadre.started_on - cadre.birth_date).days / 365.25 > 18
        assert cadre.name_pinyin
        assert cadre.id_number_digest


def test_exactly_one_class_is_in_progress_with_the_trainee_on_it(college):
    current = TrainingClass.objects.get(status=ClassStatus.IN_PROGRESS)
    assert current.class_type.name == data.SECRETARY_CLASS
    assert current.start_date <= TODAY <= current.end_date
    days = {current.start_date + dt.timedelta(days=i) for i in range(current.days)}
    assert set(current.sessions.values_list("date", flat=True)) == days
    trainee = User.objects.get(username="trainee").cadre
    assert trainee.name == "宋娟"
    assert current.enrolments.filter(cadre=trainee, status="enrolled").exists()
    # Seen at noon: the morning is recorded, the afternoon and later days are open for check-in.
    recorded = Attendance.objects.filter(session__training_class=current)
    assert recorded.filter(session__date=TODAY, session__slot="morning").exists()
    assert not recorded.filter(session__date=TODAY, session__slot="afternoon").exists()
    assert not recorded.filter(session__date__gt=TODAY).exists()


def test_a_weekend_day_still_has_its_class_in_progress():
    seed(today=dt.date(2026, 5, 17))
    current = TrainingClass.objects.get(status=ClassStatus.IN_PROGRESS)
    assert current.sessions.filter(date=dt.date(2026, 5, 17)).count() >= 2


def test_statuses_follow_the_dates(college):
    for c in TrainingClass.objects.exclude(status=ClassStatus.IN_PROGRESS):
        if c.status in (ClassStatus.PLANNED, ClassStatus.ENROLLING):
            assert TODAY < c.start_date <= TODAY + dt.timedelta(days=70)
        else:
            assert c.end_date < TODAY
            year_ago = c.end_date < TODAY - dt.timedelta(days=365)
            assert (c.status == ClassStatus.ARCHIVED) == year_ago
    assert 3 <= TrainingClass.objects.filter(start_date__gt=TODAY).count() <= 4


def test_no_teacher_is_in_two_sessions_at_once(college):
    booked = defaultdict(list)
    for teacher, day, starts, ends in Session.objects.values_list(
        "teacher", "date", "start_time", "end_time"
    ):
        booked[teacher, day].append((starts, ends))
    for times in booked.values():
        times.sort()
        assert all(a[1] <= b[0] for a, b in pairwise(times))


def test_sessions_fall_within_their_class_and_are_taught_by_cleared_teachers(college):
    cleared = PoliticalReview.objects.covering(OuterRef("date")).filter(teacher=OuterRef("teacher"))
    assert not Session.objects.exclude(Exists(cleared)).exists()
    for session in Session.objects.select_related("training_class", "teacher", "course"):
        c = session.training_class
        assert c.start_date <= session.date <= c.end_date
        assert session.method == session.course.method
        assert session.course.teachers.filter(pk=session.teacher_id).exists()
        assert (session.field_site_id is not None) == (session.method == "on_site")
        assert (session.case_id is not None) == (session.method == "case_analysis")


def test_term_numbers_run_from_one_per_type_and_year_in_date_order(college):
    terms = defaultdict(list)
    for c in TrainingClass.objects.order_by("start_date", "id"):
        terms[c.class_type_id, c.year].append(c.term)
    for numbers in terms.values():
        assert numbers == list(range(1, len(numbers) + 1))


def test_rosters_fit_the_classes_and_attendance_covers_held_sessions(college):
    for c in TrainingClass.objects.all():
        assert c.enrolments.on_roster().count() <= c.capacity
    held = Enrolment.objects.filter(training_class__status__in=["finished", "archived"])
    statuses = Counter(held.values_list("status", flat=True))
    assert set(statuses) <= {"completed", "not_completed", "withdrawn"}
    assert statuses["completed"] > 0.85 * held.count()
    for enrolment in held.select_related("training_class")[:50]:
        sessions = enrolment.training_class.sessions.count()
        assert enrolment.attendances.count() == sessions
    late = Attendance.objects.filter(status__in=["present", "late"])
    assert not late.filter(checked_in_at__isnull=True).exists()
    returning = Counter(Enrolment.objects.values_list("cadre", flat=True))
    assert max(returning.values()) >= 3


def test_teachers_include_the_named_professors(college):
    for name, unit, title, _tags, _bio in data.NAMED_TEACHERS:
        assert Teacher.objects.filter(name=name, source_unit=unit, title=title).exists()
    assert not Teacher.objects.filter(review_status=ReviewStatus.PENDING, reviewed_on__isnull=False)


def test_need_topics_follow_the_categories_and_each_course_covers_one_to_three(college):
    from luodi.curriculum.models import Course, NeedTopic

    assert NeedTopic.objects.count() == len(data.NEED_TOPICS)
    assert NeedTopic.objects.values("category").distinct().count() == len(data.CATEGORIES)
    courses = Course.objects.annotate(n=Count("need_topics"))
    assert courses.exists()
    assert all(1 <= c.n <= 3 for c in courses)
    assert not courses.exclude(need_topics__category=F("category")).exists()


def test_it_refuses_a_database_that_has_data_and_if_empty_leaves_it_untouched(college):
    before = (TrainingClass.objects.count(), Enrolment.objects.count(), User.objects.count())
    assert "not loaded" in seed("--if-empty")
    with pytest.raises(CommandError, match="fresh database"):
        seed()
    assert (TrainingClass.objects.count(), Enrolment.objects.count(), User.objects.count()) == (
        before
    )


def test_every_demo_account_logs_in_with_the_demo_password(college):
    assert "luodi-demo" in college
    for username, role, _name in data.DEMO_USERS:
        # As the login page does: django-axes needs the request (its address is counted).
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=username, password=settings.LUODI_DEMO_PASSWORD)
        assert user is not None
        assert user.role == role
    current = TrainingClass.objects.get(status=ClassStatus.IN_PROGRESS)
    headteacher = User.objects.get(username="headteacher")
    assert headteacher.teacher == current.head_teacher
    teacher = User.objects.get(username="teacher").teacher
    assert teacher != current.head_teacher
    assert current.sessions.filter(teacher=teacher).exists()
    assert User.objects.get(username="liaison").city.name == data.LIAISON_CITY
    assert User.objects.get(username="admin").is_superuser


def test_its_results_are_what_completion_decides(college):
    """Issue 6 §1.10: the demo's results come from the completion rules, so completing a demo
    class again changes nothing."""
    from luodi.training.services import completion

    held = TrainingClass.objects.held()
    assert held.exists()
    decided = 0
    for training_class in held:
        for enrolment, result in completion.preview(training_class):
            assert (enrolment.status, enrolment.hours_credited, enrolment.result_reason) == (
                result.status,
                result.hours,
                result.reason,
            )
            decided += 1
    assert decided > 100
    finished = held.filter(status=ClassStatus.FINISHED).first()
    fields = ("id", "status", "hours_credited", "result_reason", "updated_at")
    before = list(finished.enrolments.order_by("id").values_list(*fields))
    completion.class_complete(training_class=finished, by=None)
    assert list(finished.enrolments.order_by("id").values_list(*fields)) == before


def test_the_loop_class_was_timetabled_from_its_trainees_needs(college):
    """Issue 10: one class shows the whole loop. Its needs were asked before it began, its
    timetable is the suggested course plan (every course aimed at a need it targets), and its
    trainees' attendance and results follow from that timetable."""
    from luodi.audit.models import AuditEvent
    from luodi.surveys.models import Purpose, Response

    loop = TrainingClass.objects.get(surveys__purpose=Purpose.NEEDS)
    assert loop.status in (ClassStatus.FINISHED, ClassStatus.ARCHIVED)
    first = loop.sessions.order_by("date", "start_time").first()
    answered = Response.objects.filter(survey__training_class=loop, survey__purpose=Purpose.NEEDS)
    assert answered.exists()
    assert answered.order_by("-submitted_at").first().submitted_at.date() < first.date
    targets = set(loop.target_needs.values_list("pk", flat=True))
    assert targets
    sessions = loop.sessions.prefetch_related("course__need_topics")
    assert sessions.count() >= loop.days  # at least a session a day
    for session in sessions:
        assert {t.pk for t in session.course.need_topics.all()} & targets, session.course
    planned = AuditEvent.objects.get(event="class.plan_to_timetable", object_id=str(loop.pk))
    assert planned.details["sessions"] == str(sessions.count())  # details are kept as text
    assert set(ast.literal_eval(planned.details["target_needs"])) == {str(t) for t in targets}
    for enrolment in loop.enrolments.all():
        assert enrolment.attendances.count() == sessions.count()
    assert loop.enrolments.filter(status="completed").count() > 0.8 * loop.enrolments.count()


def test_it_holds_a_completed_assessment_with_every_sheet_submitted_and_an_outlier(college):
    from luodi.assessments import documents
    from luodi.assessments.models import Project, ProjectStatus, Sheet, SheetStatus
    from luodi.assessments.results import project_results

    project = Project.objects.get(status=ProjectStatus.COMPLETED)
    assert project.name == f"{TODAY.year - 1}年度全省和谐社区示范单位评估"
    results = project_results(project)
    assert (len(results.top), len(results.leaves)) == (4, 12)
    assert len(results.units) == len(data.ARTICLE_COMMUNITIES)
    assert len(results.experts) == 4
    sheets = Sheet.objects.filter(unit__project=project)
    assert sheets.count() == len(results.units) * 4
    assert not sheets.exclude(status=SheetStatus.SUBMITTED).exists()
    assert results.complete
    assert all(r.rank and r.grade for r in results.units)
    # The outside expert marks lower than the others: flagged on most units, and only they.
    flagged = {expert.username for _r, expert, _total in results.flags}
    assert flagged == {"expert"}
    assert len(results.flags) >= len(results.units) // 2
    workbook = documents.results_xlsx(results)
    assert workbook[:2] == b"PK"
    # Its workbook and report were exported, as staff do from the results page.
    from luodi.jobs.models import Job

    exported = Job.objects.filter(requested_by__username="staff", status="done")
    files = {j.content_type: j.file.read()[:4] for j in exported if "assessments." in j.kind}
    assert set(files.values()) == {b"PK\x03\x04", b"%PDF"}
    # The project in progress copied its system and has a draft.
    in_progress = Project.objects.get(status=ProjectStatus.SCORING)
    assert in_progress.indicators.count() == project.indicators.count()
    assert Sheet.objects.filter(unit__project=in_progress, status=SheetStatus.DRAFT).exists()


def test_it_has_five_years_of_research_output_and_a_searchable_case_library(college):
    from luodi.curriculum.models import TeachingCase
    from luodi.research.models import AdvisoryWork, Project, Publication
    from luodi.research.selectors import summary

    years = [r.year for r in summary().by_year]
    assert years == list(range(TODAY.year, TODAY.year - 5, -1))
    assert all(r.projects and r.publications and r.advisory for r in summary().by_year)
    assert Project.objects.filter(courses__isnull=False).exists()
    assert Publication.objects.filter(courses__isnull=False).exists()
    assert AdvisoryWork.objects.exists()
    # Every case has its text, lessons and author or story, and is found by its own words.
    cases = list(TeachingCase.objects.all())
    assert len(cases) >= 2
    for case in cases:
        assert case.full_text or case.source == "story"
        assert case.search_text
        assert case in TeachingCase.objects.search(case.title)
    assert TeachingCase.objects.filter(need_topics__isnull=False).exists()


def test_the_faculty_pool_has_review_histories_availability_bank_details_and_rates(college):
    from luodi.faculty.models import HonorariumRate, Unavailability

    reviewed = Teacher.objects.exclude(review_status=ReviewStatus.PENDING)
    assert not reviewed.filter(reviews__isnull=True).exists()
    # Renewals: some teachers have an expired pass followed by a later one.
    renewed = Teacher.objects.annotate(n=Count("reviews")).filter(n__gt=1)
    assert renewed.exists()
    assert PoliticalReview.objects.filter(valid_until__lt=TODAY, result="passed").exists()
    # Some teachers may not teach today (pending, not passed or expired) and teach nothing then.
    assert Teacher.objects.exclude(pk__in=Teacher.objects.cleared_on(TODAY)).exists()
    # Nobody teaches on a day they are away or on a weekday they do not teach.
    assert Unavailability.objects.exists()
    for away in Unavailability.objects.all():
        assert not away.teacher.sessions.filter(date__range=(away.start, away.end)).exists()
    for teacher in Teacher.objects.exclude(unavailable_weekdays=[]):
        days = teacher.sessions.values_list("date", flat=True)
        assert not {d.weekday() for d in days} & set(teacher.unavailable_weekdays)
    part_time = Teacher.objects.filter(kind="part_time", cadre__isnull=True)
    assert all(t.bank_account for t in part_time)
    assert HonorariumRate.objects.count() == 8
    assert Teacher.objects.filter(cadre__isnull=False).exists()


def test_cadres_are_written_as_the_model_writes_them(college):
    """The builder writes cadre rows without model instances: the derived columns are still
    what ``Cadre.fill_derived`` computes, and the numbers read back through their fields."""
    for cadre in Cadre.objects.all():
        stored = (cadre.name_pinyin, cadre.name_initials, cadre.id_number_digest)
        stored += (cadre.phone_digest,)
        cadre.fill_derived()
        assert stored == (
            cadre.name_pinyin,
            cadre.name_initials,
            cadre.id_number_digest,
            cadre.phone_digest,
        )
        assert Cadre.objects.with_id_number(cadre.id_number).get() == cadre
        assert Cadre.objects.with_phone(cadre.phone).get() == cadre


def test_figures_cached_before_the_build_are_not_served_after_it():
    from luodi.reports import stats
    from luodi.reports.figure_check import check

    assert stats.figures(stats.Scope()).person_times == 0  # kept for the empty college
    seed()
    assert stats.figures(stats.Scope()).person_times == Enrolment.objects.completed().count() > 0
    assert check().differences == []
