"""A college with two of everything, for the tests that walk every URL as every role.

Two cities (Dalian, the liaison's; Shenyang), two finished classes with certificates issued and
two classes running today, each pair with its own head teacher and teacher. The stock users
reach the "own" side: the head teacher heads classes A, the teacher teaches there (and heads
nothing), the trainee is 本人甲甲 of Dalian in both A classes. The "other" side (classes B, the
Shenyang cadre 越界丁丁) is out of reach for all but administrators, staff and supervisors.

Each person's name is unique and in no page's own text, so a substring check finds them.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone

from conftest import PASSWORD, Factory, module_transaction, noon_time_zone, settings_for_tests
from luodi.accounts import tokens as api_tokens_service
from luodi.accounts.models import Role, User
from luodi.cadres.models import Cadre
from luodi.certificates import services as certificate_services
from luodi.certificates.models import Certificate
from luodi.checkin import tokens
from luodi.college.models import CollegeSettings
from luodi.curriculum import services as case_services
from luodi.curriculum.models import CourseCategory
from luodi.imports.models import ImportRun, ImportStatus
from luodi.jobs.models import Job, JobStatus
from luodi.needs.models import RecordKind, ResearchRecord
from luodi.notifications.models import Notification, NotificationKind
from luodi.regions.models import Region, RegionLevel
from luodi.research import services as research_services
from luodi.surveys import blueprints
from luodi.surveys import services as survey_services
from luodi.surveys.models import Audience, Participation, Purpose, QuestionKind
from luodi.surveys.services import QuestionSpec
from luodi.timetabling.models import Draft, DraftStatus
from luodi.training.models import (
    ApplicationStory,
    ClassStatus,
    ClassType,
    Courseware,
    Enrolment,
    EnrolmentStatus,
    ExternalKind,
    ExternalTraining,
    LeaveRequest,
    Reflection,
    Session,
)

ME, SY_A, DL_B, SY_B = "本人甲甲", "越界乙乙", "越界丙丙", "越界丁丁"
EVERYONE = frozenset({ME, SY_A, DL_B, SY_B})
ANONYMOUS = "anonymous"

# Whose records each role may see anywhere in the system.
IN_SCOPE = {
    Role.ADMIN: EVERYONE,
    Role.STAFF: EVERYONE,
    Role.SUPERVISOR: EVERYONE,
    Role.HEAD_TEACHER: frozenset({ME, SY_A}),  # the trainees of the classes they head
    # Teaches class A, heads none: the names on the roll call of the sessions they teach only.
    Role.TEACHER: frozenset({ME, SY_A}),
    Role.LIAISON: frozenset({ME, DL_B}),  # Dalian's
    Role.TRAINEE: frozenset({ME}),
    ANONYMOUS: frozenset(),
}

# The smallest valid PNG: the college's logo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _running_class(make, class_type, teacher, head, now):
    """A class running today whose session starts in three minutes (check-in is open)."""
    today = now.date()
    tc = make.training_class(
        class_type,
        start_date=today - dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=1),
        status=ClassStatus.IN_PROGRESS,
        head_teacher=head,
    )
    start = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=3)
    return tc, start


def _evaluation(session):
    from luodi.surveys import blueprints, services
    from luodi.surveys.models import Answer, Audience, Purpose, QuestionKind, Response

    survey = services.survey_create(
        by=None,
        title=f"评教{session.pk}",
        purpose=Purpose.EVALUATION,
        audience=Audience.CLASS,
        training_class=session.training_class,
        session=session,
        questions=[
            services.QuestionSpec(
                kind=QuestionKind.MATRIX,
                text="评分",
                options=blueprints.rubric_criteria(),
                scale=(0, 20),
                role=blueprints.RUBRIC,
            ),
            services.QuestionSpec(
                kind=QuestionKind.LONG_TEXT, text="意见", role=blueprints.COMMENT
            ),
        ],
    )
    rubric, comment = survey.questions.all()
    for score in (16, 18):
        response = Response.objects.create(survey=survey, training_class=session.training_class)
        Answer.objects.bulk_create(
            [Answer(response=response, question=rubric, item=i, value=score) for i in range(5)]
        )
        answer = Answer.objects.create(response=response, question=comment, text="讲得清楚")
    return survey, answer


@pytest.fixture(scope="module")
def _world_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world is built once per test module, inside a transaction rolled back at the
    module's end; each test runs in a savepoint within it (pytest-django's ``db``), so what a
    test writes is gone before the next one starts. Building it takes longer than most of the
    tests that use it."""
    time_zone, media = noon_time_zone(), tmp_path_factory.mktemp("world-media")
    with (
        override_settings(**settings_for_tests(media), TIME_ZONE=time_zone),
        module_transaction(django_db_blocker, "_world_of_the_module"),
    ):
        with django_db_blocker.unblock():
            make = Factory()
            built = _build_world(make, timezone.localtime())
        yield built, make.seq, time_zone, media


@pytest.fixture
def world(db, _world_of_the_module, make, settings):
    """A fresh view of the module's world for one test: its users and cadres read again, its
    running sessions starting in three minutes from now, check-in codes of this minute."""
    built, seq, settings.TIME_ZONE, settings.MEDIA_ROOT = _world_of_the_module
    make.seq = seq  # the test's own objects get numbers (ID numbers, codes) of their own
    now = timezone.localtime()
    start = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=3)
    running = [built.own["running-session"][0], built.other["running-session"][0]]
    Session.objects.filter(pk__in=running).update(
        date=start.date(),
        start_time=start.time(),
        end_time=(start + dt.timedelta(hours=2)).time(),
    )
    users = User.objects.in_bulk([u.pk for u in built.users.values()])
    cadres = Cadre.objects.in_bulk([c.pk for c in built.cadre.values()])
    world = SimpleNamespace(
        users={role: users[u.pk] for role, u in built.users.items()},
        cadre={name: cadres[c.pk] for name, c in built.cadre.items()},
        dalian=Region.objects.get(pk=built.dalian.pk),
        shenyang=Region.objects.get(pk=built.shenyang.pk),
        own=dict(built.own),
        other=dict(built.other),
    )
    for side in (world.own, world.other):
        side["check-in"] = [
            side["running-session"][0],
            tokens.token_for(side["running-session"][0], now),
        ]
    return world


def _build_world(make, noon):
    province = make.region(level=RegionLevel.PROVINCE, name="辽宁省", code="210000")
    cities, communities = [], []
    for name, code in (("大连市", "210200"), ("沈阳市", "210100")):
        city = make.region(level=RegionLevel.CITY, name=name, code=code, parent=province)
        district = make.region(
            level=RegionLevel.DISTRICT, name=f"{name}一区", code=code[:4] + "02", parent=city
        )
        street = make.region(
            level=RegionLevel.STREET, name=f"{name}一街道", code=code[:4] + "02001", parent=district
        )
        cities.append(city)
        communities.append(make.community(street, name=f"{name[:2]}样板社区"))
    dalian, shenyang = cities
    cadre = {
        name: make.cadre(community, name=name)
        for name, community in (
            (ME, communities[0]),
            (SY_A, communities[1]),
            (DL_B, communities[0]),
            (SY_B, communities[1]),
        )
    }
    category = CourseCategory.objects.create(name="社区治理", position=1)
    class_type = ClassType.objects.create(name="社区党组织书记培训班")
    head_a, teacher_a = make.teacher(name="班主任甲"), make.teacher(name="任课老师乙")
    head_b, teacher_b = make.teacher(name="班主任丙"), make.teacher(name="任课老师丁")
    course_a, course_b = (
        make.course(category, title="甲班课程"),
        make.course(category, title="乙班课程"),
    )

    def finished(head, teacher, course, trainees, start):
        tc = make.training_class(class_type, start_date=start, head_teacher=head)
        make.session(tc, course, teacher, day=0)
        make.session(tc, course, teacher, day=1)
        enrolments = {n: make.enrol(tc, cadre[n]) for n in trainees}
        certificate_services.certificates_issue_for_class(training_class=tc, by=None)
        return tc, enrolments

    class_a, done_a = finished(head_a, teacher_a, course_a, (ME, SY_A), dt.date(2024, 5, 6))
    class_b, done_b = finished(head_b, teacher_b, course_b, (DL_B, SY_B), dt.date(2024, 6, 3))

    def running(head, teacher, course, trainees):
        tc, start = _running_class(make, class_type, teacher, head, noon)
        session = make.session(
            tc,
            course,
            teacher,
            day=1,
            start_time=start.time(),
            end_time=(start + dt.timedelta(hours=2)).time(),
            hours=Decimal(2),
        )
        enrolments = {
            n: Enrolment.objects.create(
                **Enrolment.place_of(cadre[n]),
                training_class=tc,
                cadre=cadre[n],
                status=EnrolmentStatus.ENROLLED,
            )
            for n in trainees
        }
        return tc, session, enrolments

    run_a, session_a, now_a = running(head_a, teacher_a, course_a, (ME, SY_A))
    run_b, session_b, now_b = running(head_b, teacher_b, course_b, (DL_B, SY_B))
    leave_a = LeaveRequest.objects.create(enrolment=now_a[ME], reason="本人病假")
    leave_a.sessions.add(session_a)
    leave_b = LeaveRequest.objects.create(enrolment=now_b[SY_B], reason="他人病假")
    leave_b.sessions.add(session_b)
    # Courseware of the first session of each finished class (the trainee attended A's).
    ware = {
        c: Courseware.objects.create(
            session=cls.sessions.first(),
            course=c,
            title=f"{c.title}课件",
            file=ContentFile(b"slides", name="slides.pdf"),
        )
        for c, cls in ((course_a, class_a), (course_b, class_b))
    }
    extra = {
        Role.ADMIN: {"is_staff": True, "is_superuser": True},
        Role.STAFF: {"is_staff": True},
        Role.HEAD_TEACHER: {"teacher": head_a},
        Role.TEACHER: {"teacher": teacher_a},
        Role.LIAISON: {"city": dalian},
        Role.TRAINEE: {"cadre": cadre[ME]},
    }
    users = {
        role: User.objects.create_user(
            username=role.value, password=PASSWORD, role=role, **extra.get(role, {})
        )
        for role in Role
    }
    # Another trainee with an account: the stock trainee must not reach their records.
    trainee_b = User.objects.create_user(
        username="trainee_b", password=PASSWORD, role=Role.TRAINEE, cadre=cadre[DL_B]
    )
    # A notification of the stock trainee's (own) and one of the other trainee's.
    notices = {
        side: Notification.objects.create(
            user=user, kind=NotificationKind.LEAVE_DECIDED, text="请假已批准", url="/checkin/"
        )
        for side, user in (("own", users[Role.TRAINEE]), ("other", trainee_b))
    }
    cert_a = Certificate.objects.get(enrolment=done_a[ME])
    cert_b = Certificate.objects.get(enrolment=done_b[SY_B])
    now = noon
    # A prepared zip of class A's certificates asked by its head teacher (theirs), and one of
    # class B's asked by the staff member (not the head teacher's, whose class it is not).
    jobs = {
        cls: Job.objects.create(
            requested_by=users[who],
            kind="certificates.class-zip",
            subject=f"training.trainingclass:{cls.pk}",
            parameters={"class_id": cls.pk},
            status=JobStatus.DONE,
            file=ContentFile(b"PK\x05\x06" + bytes(18), name="certificates.zip"),
            filename="certificates.zip",
            content_type="application/zip",
            expires_at=now + dt.timedelta(days=1),
        )
        for cls, who in ((class_a, Role.HEAD_TEACHER), (class_b, Role.STAFF))
    }

    def sides(cls, done, run, session, current, leave, course, teacher, certificate, person):
        return {
            "class": [cls.pk],
            "class+enrolment": [cls.pk, done[person].pk],
            "session": [cls.sessions.first().pk],
            "finished-session": [cls.sessions.first().pk],
            "running-session": [session.pk],
            "running-class": [run.pk],
            "check-in": [session.pk, tokens.token_for(session.pk, now)],
            "enrolment": [current[person].pk],
            "finished-enrolment": [done[person].pk],
            "courseware": [ware[course].pk],
            "leave": [leave.pk],
            "certificate": [certificate.pk],
            "serial": [certificate.serial],
            "cadre": [cadre[person].pk],
            "community": [cadre[person].community_id],
            "course": [course.pk],
            "teacher": [teacher.pk],
            "job": [jobs[cls].pk],
        }

    # API tokens of the staff member (the "own" side) and the liaison (the "other").
    api_tokens = {
        who: api_tokens_service.api_token_create(by=users[who], name=f"{who} system")[0]
        for who in (Role.STAFF, Role.LIAISON)
    }
    world = SimpleNamespace(
        users=users,
        cadre=cadre,
        dalian=dalian,
        shenyang=shenyang,
        own=sides(
            class_a, done_a, run_a, session_a, now_a, leave_a, course_a, teacher_a, cert_a, ME
        ),
        other=sides(
            class_b, done_b, run_b, session_b, now_b, leave_b, course_b, teacher_b, cert_b, SY_B
        ),
    )
    world.own["api-token"] = [api_tokens[Role.STAFF].pk]
    world.other["api-token"] = [api_tokens[Role.LIAISON].pk]
    world.own["notification"] = [notices["own"].pk]
    world.other["notification"] = [notices["other"].pk]
    # Imports: the staff member's (own) and the administrator's (other), of the same file.
    runs = {
        who: ImportRun.objects.create(
            kind="cadres",
            file=ContentFile("姓名,身份证号,社区\n".encode(), name="roster.csv"),
            filename="roster.csv",
            uploaded_by=users[who],
            status=ImportStatus.CHECKED,
            header_row=1,
            headers=["姓名", "身份证号", "社区"],
            mapping={"0": "name", "1": "id_number", "2": "community"},
        )
        for who in (Role.STAFF, Role.ADMIN)
    }
    world.own["import-run"] = [runs[Role.STAFF].pk]
    world.other["import-run"] = [runs[Role.ADMIN].pk]
    world.own["import-kind"] = world.other["import-kind"] = ["cadres"]
    # Needs research records: a visit in Dalian (the liaison's city), a forum in Shenyang.
    records = {
        side: ResearchRecord.objects.create(
            kind=kind, date=dt.date(2026, 3, 2), place=f"{city.name}调研", city=city
        )
        for side, kind, city in (
            ("own", RecordKind.VISIT, dalian),
            ("other", RecordKind.FORUM, shenyang),
        )
    }
    world.own["research-record"] = [records["own"].pk]
    world.other["research-record"] = [records["other"].pk]
    # Surveys: a satisfaction survey of each running class, answered once (so frozen), and
    # each running session's evaluation; one open survey answered with codes.
    for side, run, session in (("own", run_a, session_a), ("other", run_b, session_b)):
        survey = survey_services.survey_create(
            by=users[Role.STAFF],
            title=f"{side} 满意度",
            purpose=Purpose.SATISFACTION,
            audience=Audience.CLASS,
            training_class=run,
            questions=[QuestionSpec(kind=QuestionKind.RATING, text="满意度", scale=(1, 5))],
        )
        survey = survey_services.survey_publish(survey=survey, by=users[Role.STAFF])
        Participation.objects.create(survey=survey, user=users[Role.STAFF])
        blueprints.session_evaluation(session=session, by=users[Role.STAFF])
        getattr(world, side)["survey"] = [survey.pk]
        getattr(world, side)["survey+question"] = [survey.pk, survey.questions.get().pk]
    open_survey = survey_services.survey_create(
        by=users[Role.STAFF],
        title="开放问卷",
        purpose=Purpose.NEEDS,
        audience=Audience.OPEN,
        questions=[QuestionSpec(kind=QuestionKind.SHORT_TEXT, text="建议")],
    )
    survey_services.survey_publish(survey=open_survey, by=users[Role.STAFF])
    world.own["open-survey"] = world.other["open-survey"] = [open_survey.pk]
    # A reflection with an attachment in each finished class (the trainee's own in class A),
    # and an application story of the trainee's (class A) and of the Shenyang cadre's (B).
    for side, enrolment in (("own", done_a[ME]), ("other", done_b[SY_B])):
        reflection = Reflection.objects.create(
            enrolment=enrolment,
            text="心得" * 200,
            attachment=ContentFile(b"%PDF-1.4 reflection", name="reflection.pdf"),
            attachment_name="reflection.pdf",
        )
        getattr(world, side)["reflection"] = [reflection.pk]
    for side, name, cls, course in (
        ("own", ME, class_a, course_a),
        ("other", SY_B, class_b, course_b),
    ):
        story = ApplicationStory.objects.create(
            cadre=cadre[name],
            community=cadre[name].community,
            training_class=cls,
            course=course,
            problem="居民停车难",
            applied="议事协商",
            outcome="划定车位",
        )
        getattr(world, side)["story"] = [story.pk]
        # Training outside the college, awaiting review, with its proof.
        external = ExternalTraining.objects.create(
            cadre=cadre[name],
            kind=ExternalKind.PARTY_SCHOOL,
            organiser="区委党校",
            title=f"{side}党校轮训",
            start_date=dt.date(2025, 3, 3),
            end_date=dt.date(2025, 3, 4),
            hours_claimed=Decimal(12),
            proof=ContentFile(b"%PDF-1.4 proof", name="proof.pdf"),
            proof_name="proof.pdf",
        )
        getattr(world, side)["external"] = [external.pk]
        # A timetable proposal of the side's class (planning is college-wide).
        draft = Draft.objects.create(spec={"items": [], "hours": {}}, status=DraftStatus.PROPOSED)
        draft.classes.set([cls])
        getattr(world, side)["draft"] = [draft.pk]
    # The college's logo, which every page's header shows.
    CollegeSettings(logo=ContentFile(PNG, name="logo.png")).save()
    # Research output and a teaching case of each side's teacher and course.
    staff = users[Role.STAFF]
    for side, teacher, course in (("own", teacher_a, course_a), ("other", teacher_b, course_b)):
        sided = getattr(world, side)
        sided["case"] = [
            case_services.case_create(
                by=staff, title=f"{side}案例", summary="物业纠纷", author=teacher, place="大连"
            ).pk
        ]
        sided["project"] = [
            research_services.project_save(
                by=staff,
                title=f"{side}课题",
                funder="民政部",
                level="national",
                principal=teacher,
                start_date=dt.date(2024, 1, 1),
                courses=[course],
            ).pk
        ]
        sided["publication"] = [
            research_services.publication_save(
                by=staff,
                title=f"{side}论文",
                venue="中国行政管理",
                kind="journal",
                published_on=dt.date(2024, 3, 1),
                authors=[teacher],
            ).pk
        ]
        sided["advisory"] = [
            research_services.advisory_save(
                by=staff,
                title=f"{side}建议",
                kind="adopted",
                client="辽宁省民政厅",
                date=dt.date(2024, 5, 1),
                teachers=[teacher],
            ).pk
        ]
    # The evaluation of each finished class's first session, with two answers (results are
    # withheld below two) and a comment each: results, review, a teacher's ratings.
    for side, cls in (("own", class_a), ("other", class_b)):
        survey, answer = _evaluation(cls.sessions.first())
        getattr(world, side)["evaluation"] = [survey.pk]
        getattr(world, side)["survey-answer"] = [answer.pk]
    _assessments(world, users, communities)
    return world


def _assessments(world, users, communities):
    """An assessment project whose experts are the stock teacher and supervisor (own), and
    one whose only expert is someone else (other). In each, one expert has submitted scores
    with an evidence file for the first unit, so the unit, the expert and the scores stay:
    removing either is refused (302), reopening without a reason is refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luodi.assessments import services as assessment_services

    staff = users[Role.STAFF]
    outsider = User.objects.create_user(
        username="expert_other", password=PASSWORD, role=Role.TEACHER, first_name="外聘专家"
    )
    for side, experts, community in (
        ("own", [users[Role.TEACHER], users[Role.SUPERVISOR]], communities[0]),
        ("other", [outsider], communities[1]),
    ):
        project = assessment_services.project_create(
            name=f"{side} 评估项目", client="辽宁省民政厅", year=2025, by=staff
        )
        assessment_services.indicators_replace(
            project=project, text="组织建设 | 100\n  党组织设置 | 100 | 10", by=staff
        )
        unit = assessment_services.unit_add(project=project, community=community, by=staff)
        for expert in experts:
            assessment_services.expert_add(project=project, user=expert, by=staff)
        assessment_services.project_update(project=project, status="scoring", by=staff)
        leaf = assessment_services.leaves_of(project)[0]
        png = SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
        sheet = assessment_services.sheet_save(
            unit=unit,
            by=experts[0],
            entries={leaf.pk: assessment_services.Entry(value="8", file=png)},
            submit=True,
        )
        found = getattr(world, side)
        found["assessment"] = [project.pk]
        found["assessment+stage"] = [project.pk, project.stages.first().pk]
        found["assessment+unit"] = [project.pk, unit.pk]
        found["assessment+expert"] = [project.pk, experts[0].pk]
        found["sheet"] = [sheet.pk]
        found["evidence"] = [sheet.scores.get().evidence.get().pk]
