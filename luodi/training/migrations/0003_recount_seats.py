"""Data: fill the new seat counters from the enrolments already recorded."""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

SEAT_STATUSES = ("nominated", "enrolled", "completed", "not_completed")


def recount(apps, schema_editor):
    TrainingClass = apps.get_model("training", "TrainingClass")
    Enrolment = apps.get_model("training", "Enrolment")
    held = (
        Enrolment.objects.filter(training_class=OuterRef("pk"), status__in=SEAT_STATUSES)
        .values("training_class")
        .annotate(n=Count("id"))
        .values("n")
    )
    # A class recorded with more trainees than places gets its capacity raised to fit, so the
    # new CHECK (seats_taken <= capacity) holds for history too.
    TrainingClass.objects.filter(capacity__lt=Subquery(held)).update(capacity=Subquery(held))
    TrainingClass.objects.update(seats_taken=Coalesce(Subquery(held), 0))


class Migration(migrations.Migration):
    dependencies = [("training", "0002_operations")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
