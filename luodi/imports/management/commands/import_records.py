"""``manage.py import_records KIND FILE [--class ID] [--dry-run] [--create-communities]``: the
import of the pages, for scripted migrations. Prints the summary and the per-row report; exits
non-zero when it wrote nothing because of problems (or could not read the file)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from luodi.accounts.models import Role, User
from luodi.imports import kinds, services
from luodi.imports.reading import check_file
from luodi.training.models import TrainingClass


class Command(BaseCommand):
    help = "Import communities, cadres, teachers, a class's enrolments or past classes from a file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[k.name for k in kinds.all_kinds()])
        parser.add_argument("file", type=Path)
        parser.add_argument("--class", dest="class_id", type=int, help="the class (enrolments)")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--create-communities", action="store_true")
        parser.add_argument(
            "--as", dest="username", help="the user recorded as importing (default: an admin)"
        )

    def handle(self, *args, kind, file, class_id, dry_run, create_communities, username, **_):
        import_kind = kinds.get(kind)
        by = self.actor(username)
        options = {"create_communities": create_communities, "training_class": None}
        if import_kind.needs_class:
            if class_id is None:
                raise CommandError("This kind needs --class ID (the class to enrol into).")
            options["training_class"] = TrainingClass.objects.filter(pk=class_id).first()
            if options["training_class"] is None:
                raise CommandError(f"No class has id {class_id}.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with file.open("rb") as handle:
            upload = File(handle, name=file.name)
            try:
                table = services.read_table(import_kind, upload, check_file(upload, by=by))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"{file.name}: sheet {table.sheet or '-'}, header on row {table.header + 1}; "
            + ", ".join(
                f"{h or '?'}→{table.mapping.get(i, '-')}" for i, h in enumerate(table.headers)
            )
        )
        if dry_run:
            plan = services.check(import_kind, table, options=options)
        else:
            plan = services.commit(import_kind, table, options=options, by=by)
        for p in plan.problems:
            self.stdout.write(f"row {p.row}\t{p.column}\t{p.value}\t{p.reason}")
        counts = plan.counts()
        summary = (
            f"{counts['rows']} rows: {counts['create']} new, {counts['update']} to update, "
            f"{counts['unchanged']} unchanged, {counts['problem_rows']} with problems"
        )
        if plan.problems:
            raise CommandError(f"{summary}. Nothing was written.")
        if dry_run:
            self.stdout.write(f"{summary}. Dry run: nothing was written.")
        elif not plan.changes_anything:
            self.stdout.write(f"{summary}. Nothing to change.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{summary}. Imported."))

    @staticmethod
    def actor(username: str | None) -> User:
        users = User.objects.filter(is_active=True)
        user = (
            users.filter(username=username).first()
            if username
            else users.filter(role=Role.ADMIN).order_by("pk").first()
        )
        if user is None:
            raise CommandError(
                f"No active user {username!r}." if username else "No administrator: use --as."
            )
        return user
