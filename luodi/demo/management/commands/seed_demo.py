"""``manage.py seed_demo``: fill an empty database with the demo college."""

import argparse
import time as clock
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from luodi.accounts.models import Role, User
from luodi.demo.builder import (
    DemoDataExists,
    DemoStepFailed,
    build_demo_college,
    existing_data,
    existing_logins,
)

MAX_SCALE = 150  # beyond it a district would need more than 999 streets


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, not {text!r}") from exc


class Command(BaseCommand):
    help = (
        "Build the demo college: five years of classes, trainees, teachers and attendance of the "
        "Liaoning Community Cadre College, the same for the same --seed and --today."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 ≈ 1,500 communities, 12,000 enrolments"
        )
        parser.add_argument("--seed", type=int, default=2015, help="random seed (default 2015)")
        parser.add_argument(
            "--today", type=_day, help="the day taken as today, YYYY-MM-DD (default: today)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has data (used by `make run`)",
        )

    def handle(self, *args, scale, seed, today, if_empty, verbosity, **options):
        if not 0.01 <= scale <= MAX_SCALE:
            raise CommandError(f"--scale must be between 0.01 and {MAX_SCALE}.")
        if not 2005 <= (today or timezone.localdate()).year <= 2099:
            raise CommandError("--today must fall between 2005 and 2099.")
        if if_empty and existing_data():
            self.stdout.write("Demo data not loaded: the database already has data.")
            self.print_logins(existing_logins(), settings.LUODI_DEMO_PASSWORD)
            return
        # Only the real today has a real time of day; another day is seen at noon, after its
        # morning session, so that runs with the same --today give the same data.
        if today is None or today == timezone.localdate():
            today, now = timezone.localdate(), timezone.localtime()
        else:
            now = datetime.combine(today, time(12, 0), tzinfo=timezone.get_current_timezone())
        started = clock.monotonic()

        def log(step: str) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {clock.monotonic() - started:7.1f} s  {step}")

        try:
            summary = build_demo_college(scale=scale, seed=seed, today=today, now=now, log=log)
        except DemoStepFailed as exc:
            raise CommandError(
                f"The demo college's step {exc.step} failed ({exc.__cause__!r}); the "
                f"{exc.done} steps before it are written. Start again on a fresh database."
            ) from exc
        except DemoDataExists as exc:
            raise CommandError(
                f"The database already has data ({exc}). seed_demo only fills a fresh database: "
                "point LUODI_DATA_DIR or DATABASE_URL at an empty one and run migrate first."
            ) from exc
        self.print_summary(summary, scale, seed, today, clock.monotonic() - started)

    def print_summary(self, summary, scale, seed, today, seconds) -> None:
        counts = summary.counts
        write = self.stdout.write
        done = (
            f"Demo college built in {seconds:.1f} s (scale {scale:g}, seed {seed}, today {today})."
        )
        write(self.style.SUCCESS(done))
        for label, key in [
            ("Cities", "cities"),
            ("Communities", "communities"),
            ("Cadres", "cadres"),
            ("Teachers", "teachers"),
            ("Courses", "courses"),
            ("Classes", "classes"),
            ("Sessions", "sessions"),
            ("Enrolments", "enrolments"),
            ("Attendance rows", "attendance"),
            ("Teaching cases", "cases"),
            ("Research projects", "research_projects"),
            ("Publications", "publications"),
            ("Advisory work", "advisory_works"),
        ]:
            write(f"  {label:<16}{counts.get(key, 0):>12,}")
        self.print_logins(summary.logins, summary.password)

    def print_logins(self, logins, password) -> None:
        if not logins:
            return
        self.stdout.write(f"Demo logins (password for all: {password}):")
        self.stdout.write(f"  {'username':<13}{'role':<14}name")
        for username, role, name in logins:
            self.stdout.write(f"  {username:<13}{role:<14}{name}")
        self.stdout.write(
            "Every trainee of the class in progress can also log in for the first time at "
            "/accounts/code/ with their ID number or mobile number; the texted code is written "
            f"to {settings.LUODI_MESSAGE_FILE} (no text leaves this machine)."
        )
        # A trainee whose account waits for its first login (no password yet), with a phone.
        example = (
            User.objects.filter(
                role=Role.TRAINEE, is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX
            )
            .exclude(cadre__phone_digest="")
            .select_related("cadre")
            .order_by("pk")
            .first()
        )
        if example is not None:
            self.stdout.write(
                f"  For example {example.cadre.name}, mobile number {example.cadre.phone} "
                "(demo data)."
            )
