"""Stock users for every role and a small college to test against."""

import datetime as dt
import os
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone, translation

from luodi.accounts.models import Role, User
from luodi.cadres.models import Cadre
from luodi.curriculum.models import Course, CourseCategory, FieldSite, TeachingMethod
from luodi.faculty.models import ReviewStatus, Teacher, TeacherKind
from luodi.lib.personal import make_id_number
from luodi.regions.models import Community, Region, RegionLevel
from luodi.training.models import (
    Attendance,
    AttendanceStatus,
    ClassStatus,
    ClassType,
    Enrolment,
    EnrolmentStatus,
    Session,
    TimeSlot,
    TrainingClass,
)
from luodi.training.services import seats

PASSWORD = "test-pass-123"

# Short names for the roles, for tables of who may do what.
A, S, H, T, L, R, V = (
    Role.ADMIN,
    Role.STAFF,
    Role.HEAD_TEACHER,
    Role.TEACHER,
    Role.LIAISON,
    Role.TRAINEE,
    Role.SUPERVISOR,
)


def pytest_configure(config):
    """A ``replica`` database alias, as ``LUODI_REPLICA_URL`` makes one: in tests a second
    connection to the test database (a mirror). Nothing reads from it unless a test sets
    ``LUODI_REPORTS_DATABASE`` (``reports/tests/test_replica.py``); any other test that touched
    it would fail, as it is not among that test's databases."""
    from django.conf import settings

    settings.DATABASES["replica"] = {
        **settings.DATABASES["default"],
        "TEST": {"MIRROR": "default"},
    }


@pytest.fixture(autouse=True)
def _english_in_the_test_thread():
    """Services raise messages in the active language; tests read them in English unless they
    ask for Chinese (``translation.override("zh-hans")``). Pages still follow the request's
    language (zh-hans by default) through the locale middleware."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


def settings_for_tests(media_root) -> dict:
    """The settings every test runs with (also applied around the fixtures built once per
    module, such as the access tests' ``world``)."""
    from django.conf import settings

    return {
        "MEDIA_ROOT": media_root,  # uploaded seals and prepared documents
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        # WhiteNoise looks a static file up when it is asked for, instead of listing all of
        # them each time a test client builds its middleware (most of a request's time).
        "WHITENOISE_AUTOREFRESH": True,
        # Background jobs run at once, inside the request that queues them.
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        # Warming the figures after each committed change would run at once too (its own test).
        "LUODI_WARM_FIGURES": False,
        # Texts never leave the test: kept in memory (the ``outbox`` fixture reads them).
        "LUODI_MESSAGE_BACKEND": "luodi.lib.messaging.MemoryBackend",
    }


@pytest.fixture(autouse=True)
def _fast_and_english_neutral(settings, _media_root):
    for name, value in settings_for_tests(_media_root).items():
        setattr(settings, name, value)


# Fixtures that build their data once per test module, in a transaction rolled back at the
# module's end (``module_transaction``); each test then runs in a savepoint within it.
MODULE_DATA = frozenset({"_world_of_the_module", "_demo_of_the_module"})
_open_module_data: list[str] = []


@contextmanager
def module_transaction(django_db_blocker, name: str):
    """Keep what is written inside the ``with`` block's setup until the module's tests have
    run, then roll it back. Used by the fixtures named in ``MODULE_DATA``."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    _open_module_data.append(name)
    try:
        yield
    finally:
        _open_module_data.remove(name)
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def pytest_collection_modifyitems(items):
    """Within each module, the tests that use data built once for the module run after those
    that do not (in the places the module's tests held: pytest-django's order, transactional
    tests last, is kept), so that these never see it; and with xdist (``--dist loadgroup``)
    they run together in one process."""
    uses = [bool(MODULE_DATA & set(getattr(item, "fixturenames", ()))) for item in items]
    places: dict[str, list[int]] = {}
    for position, item in enumerate(items):
        places.setdefault(item.nodeid.split("::")[0], []).append(position)
    reordered = list(items)
    for module, positions in places.items():
        ordered = sorted(positions, key=lambda p: uses[p])  # stable: the others first
        for place, taken in zip(positions, ordered, strict=True):
            reordered[place] = items[taken]
        for taken in positions:
            if uses[taken]:
                items[taken].add_marker(pytest.mark.xdist_group(module))
    items[:] = reordered


@pytest.fixture(autouse=True)
def _no_module_data_seen_by_others(request):
    if _open_module_data and not MODULE_DATA & set(request.fixturenames):
        pytest.fail(f"{request.node.nodeid} would see the data of {_open_module_data}")


@pytest.fixture(autouse=True)
def _fresh_recent_events():
    """``audit.recent()`` keeps the process's last events in a bounded list: start each test
    with it empty, so a test that counts new events never finds the list already full."""
    from luodi.lib import audit

    audit._recent.clear()


@pytest.fixture
def outbox(settings):
    """Texts sent through the message gateway (``lib.messaging``) during the test."""
    from luodi.lib.messaging import MemoryBackend

    settings.LUODI_MESSAGE_BACKEND = "luodi.lib.messaging.MemoryBackend"
    MemoryBackend.outbox.clear()
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()


class Factory:
    """Small builders with sensible defaults; every keyword can be overridden."""

    def __init__(self):
        self.seq = 0

    def next(self) -> int:
        self.seq += 1
        return self.seq

    def region(self, *, level, name, code, parent=None):
        return Region.objects.create(level=level, name=name, code=code, parent=parent)

    def community(self, street, **kw):
        n = self.next()
        defaults = {
            "code": f"{street.code}{n:03d}",
            "name": f"测试{n}社区",
            "street": street,
            "households": 1000,
            "residents": 3000,
            "party_members": 120,
            "buildings": 20,
        }
        return Community.objects.create(**{**defaults, **kw})

    def cadre(self, community, **kw):
        n = self.next()
        male = n % 2 == 1
        defaults = {
            "name": kw.pop("name", f"张{n}"),
            "gender": "M" if male else "F",
            "birth_date": dt.date(1980, 1, 1),
            "political_status": "party_member",
            "education": "bachelor",
            "id_number": make_id_number("210200", "19800101", n * 2 - (1 if male else 0) + 100),
            "phone": f"139{n:08d}",
            "community": community,
            "post": "secretary",
            "started_on": dt.date(2005, 3, 1),
        }
        return Cadre.objects.create(**{**defaults, **kw})

    def teacher(self, **kw):
        """A teacher with one political review (``review_status`` on ``reviewed_on``, by
        default passed on 2020-01-01 and valid until ``valid_until``, by default 2099, so that
        tests of other things can schedule them on any day); PENDING: no review."""
        from luodi.faculty.services import review_record

        n = self.next()
        status = kw.pop("review_status", ReviewStatus.PASSED)
        reviewed_on = kw.pop("reviewed_on", None) or dt.date(2020, 1, 1)
        valid_until = kw.pop("valid_until", dt.date(2099, 12, 31))
        defaults = {
            "name": f"李老师{n}",
            "kind": TeacherKind.FULL_TIME,
            "source_unit": "东北大学",
        }
        teacher = Teacher.objects.create(**{**defaults, **kw})
        if status != ReviewStatus.PENDING:
            review_record(
                teacher=teacher,
                date=reviewed_on,
                result=status,
                by=None,
                valid_until=valid_until if status == ReviewStatus.PASSED else None,
            )
        return teacher

    def course(self, category, **kw):
        n = self.next()
        defaults = {
            "title": f"课程{n}",
            "category": category,
            "method": TeachingMethod.LECTURE,
            "default_hours": Decimal(3),
        }
        return Course.objects.create(**{**defaults, **kw})

    def training_class(self, class_type, **kw):
        start = kw.pop("start_date", dt.date(2024, 5, 6))
        year = kw.pop("year", start.year)
        term = kw.pop(
            "term", TrainingClass.objects.filter(class_type=class_type, year=year).count() + 1
        )
        defaults = {
            "class_type": class_type,
            "year": year,
            "term": term,
            "start_date": start,
            "end_date": start + dt.timedelta(days=2),
            "venue": f"学院第{self.next()}教室",
            "capacity": 60,
            "status": ClassStatus.FINISHED,
        }
        return TrainingClass.objects.create(**{**defaults, **kw})

    def session(self, training_class, course, teacher, *, day=0, slot=TimeSlot.MORNING, **kw):
        starts = {
            "morning": (8, 30, 11, 30),
            "afternoon": (14, 0, 17, 0),
            "evening": (19, 0, 21, 0),
        }
        h1, m1, h2, m2 = starts[slot]
        defaults = {
            "training_class": training_class,
            "date": training_class.start_date + dt.timedelta(days=day),
            "slot": slot,
            "start_time": dt.time(h1, m1),
            "end_time": dt.time(h2, m2),
            "course": course,
            "teacher": teacher,
            "venue": training_class.venue,
            "method": course.method,
            "hours": Decimal(3),
        }
        return Session.objects.create(**{**defaults, **kw})

    def enrol(self, training_class, cadre, status=EnrolmentStatus.COMPLETED, attend=None):
        """Enrol a cadre; ``attend`` maps session pk to a status (default: present)."""
        enrolment = Enrolment.objects.create(
            **Enrolment.place_of(cadre), training_class=training_class, cadre=cadre, status=status
        )
        for session in training_class.sessions.all():
            status_ = (attend or {}).get(session.pk, AttendanceStatus.PRESENT)
            Attendance.objects.create(enrolment=enrolment, session=session, status=status_)
        if status in (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED):
            # As completion records it: a completed result credits the hours attended.
            attended = Enrolment.objects.with_hours().get(pk=enrolment.pk).hours_attended
            enrolment.hours_credited = attended if status == EnrolmentStatus.COMPLETED else 0
            enrolment.save(update_fields=["hours_credited"])
        seats.recount(TrainingClass.objects.filter(pk=training_class.pk))
        return enrolment


@pytest.fixture
def noon(settings):
    """Use a time zone in which it is now about noon, so that sessions built around the real
    clock stay within one day whenever the tests run. Returns the local time now."""
    settings.TIME_ZONE = noon_time_zone()
    return timezone.localtime()


def noon_time_zone() -> str:
    """A time zone in which it is now between 12:00 and 13:00."""
    offset = 12 - dt.datetime.now(dt.UTC).hour
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


@pytest.fixture
def make():
    return Factory()


@pytest.fixture
def college(db, make):
    """Two cities (Dalian and Shenyang), two communities each, one finished class with
    three sessions and four completed trainees, one class in progress."""
    province = make.region(level=RegionLevel.PROVINCE, name="辽宁省", code="210000")
    dalian = make.region(level=RegionLevel.CITY, name="大连市", code="210200", parent=province)
    shenyang = make.region(level=RegionLevel.CITY, name="沈阳市", code="210100", parent=province)
    d1 = make.region(level=RegionLevel.DISTRICT, name="中山区", code="210202", parent=dalian)
    d2 = make.region(level=RegionLevel.DISTRICT, name="和平区", code="210102", parent=shenyang)
    s1 = make.region(level=RegionLevel.STREET, name="青泥洼桥街道", code="210202001", parent=d1)
    s2 = make.region(level=RegionLevel.STREET, name="太原街街道", code="210102001", parent=d2)
    c_dl = [make.community(s1, name="拥警社区"), make.community(s1)]
    c_sy = [make.community(s2), make.community(s2)]
    cadres_dl = [make.cadre(c_dl[0], name="宋娟"), make.cadre(c_dl[1])]
    cadres_sy = [make.cadre(c_sy[0]), make.cadre(c_sy[1])]
    category = CourseCategory.objects.create(name="社区治理", position=1)
    teacher = make.teacher(name="张平")
    course = make.course(category, title="社区治理与服务创新案例解析")
    course.teachers.add(teacher)
    site = FieldSite.objects.create(name="拥警社区现场教学点", community=c_dl[0])
    class_type = ClassType.objects.create(name="社区党组织书记培训班")
    finished = make.training_class(class_type, head_teacher=teacher)
    sessions = [
        make.session(finished, course, teacher, day=0),
        make.session(finished, course, teacher, day=0, slot=TimeSlot.AFTERNOON),
        make.session(
            finished,
            course,
            teacher,
            day=1,
            method=TeachingMethod.ON_SITE,
            field_site=site,
            venue="",
        ),
    ]
    for cadre in cadres_dl + cadres_sy:
        make.enrol(finished, cadre)
    today = timezone.localdate()
    running = make.training_class(
        class_type,
        start_date=today - dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=1),
        status=ClassStatus.IN_PROGRESS,
        head_teacher=teacher,
    )
    make.session(running, course, teacher, day=1)
    make.enrol(running, cadres_dl[0], status=EnrolmentStatus.ENROLLED)
    return SimpleNamespace(
        province=province,
        dalian=dalian,
        shenyang=shenyang,
        streets=[s1, s2],
        communities_dalian=c_dl,
        communities_shenyang=c_sy,
        cadres_dalian=cadres_dl,
        cadres_shenyang=cadres_sy,
        category=category,
        teacher=teacher,
        course=course,
        site=site,
        class_type=class_type,
        finished=finished,
        sessions=sessions,
        running=running,
    )


@pytest.fixture
def users(college):
    """One user per role; the trainee is 宋娟 of Dalian, the liaison works for Dalian."""
    extra = {
        Role.ADMIN: {"is_staff": True, "is_superuser": True},
        Role.STAFF: {"is_staff": True},
        Role.HEAD_TEACHER: {"teacher": college.teacher},
        Role.LIAISON: {"city": college.dalian},
        Role.TRAINEE: {"cadre": college.cadres_dalian[0]},
    }
    return {
        role: User.objects.create_user(
            username=role.value, password=PASSWORD, role=role, **extra.get(role, {})
        )
        for role in Role
    }


@pytest.fixture
def client_as(client, users):
    def login(role):
        client.force_login(users[role])
        return client

    return login


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_context():
    """Debian's Chromium driven by playwright; call it with context options, get a page."""
    from playwright.sync_api import sync_playwright

    # playwright's sync API runs an event loop in this thread; the test's ORM calls are still
    # plain synchronous ones, so Django's async guard is lifted for the test.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        def new_page(**options):
            options = {"locale": "zh-CN", "viewport": {"width": 1280, "height": 900}, **options}
            return browser.new_context(**options).new_page()

        yield new_page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser_page(browser_context):
    return browser_context()


@pytest.fixture
def login_in_browser(live_server):
    def login(page, username):
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_load_state()

    return login


def pick_in_browser(page, field: str, typed: str, shown: str | None = None) -> None:
    """Choose in a searching picker (``lib.pickers``) as a person does: type into the search
    box of the field named ``field``, click the match whose text holds ``shown`` (default:
    ``typed``), and wait for it to show as chosen."""
    shown = shown or typed
    box = page.locator(f"select[name={field}] + .picker")
    box.locator("input.picker-search").fill(typed)
    box.locator(".picker-results li[data-id]", has_text=shown).first.click()
    box.locator(".picker-chip", has_text=shown).wait_for()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, and at the end of the run, before it is dropped, an end to the
    connections the live server's request threads may still hold open (a browser keeps its
    connection alive): PostgreSQL refuses to drop a database that is in use."""
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started after the test database, so stopped before it."""
    return live_server


@pytest.fixture
def object_store(settings):
    """An S3-compatible object store on 127.0.0.1 (moto's server) with an empty bucket, made
    the default storage as ``LUODI_S3_BUCKET`` makes it; ``env`` configures a subprocess."""
    import logging
    import uuid

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not a line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "LUODI_S3_BUCKET": f"luodi-{uuid.uuid4().hex[:12]}",
        "LUODI_S3_ENDPOINT_URL": f"http://{host}:{port}",
        "LUODI_S3_REGION": "us-east-1",
        "LUODI_S3_ACCESS_KEY": "luodi-test",
        "LUODI_S3_SECRET_KEY": "luodi-test-secret",
    }
    client = boto3.client(
        "s3",
        endpoint_url=env["LUODI_S3_ENDPOINT_URL"],
        region_name=env["LUODI_S3_REGION"],
        aws_access_key_id=env["LUODI_S3_ACCESS_KEY"],
        aws_secret_access_key=env["LUODI_S3_SECRET_KEY"],
    )
    client.create_bucket(Bucket=env["LUODI_S3_BUCKET"])

    def keys(bucket=env["LUODI_S3_BUCKET"]) -> list[str]:
        listed = client.list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env["LUODI_S3_BUCKET"],
                "endpoint_url": env["LUODI_S3_ENDPOINT_URL"],
                "region_name": env["LUODI_S3_REGION"],
                "access_key": env["LUODI_S3_ACCESS_KEY"],
                "secret_key": env["LUODI_S3_SECRET_KEY"],
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    yield SimpleNamespace(env=env, client=client, keys=keys, bucket=env["LUODI_S3_BUCKET"])
    server.stop()
