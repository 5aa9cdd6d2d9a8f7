"""Seat counters: ``TrainingClass.seats_taken`` and ``ClassQuota.used``.

The enrolment services keep them with conditional updates; ``recount`` rebuilds them from the
enrolments themselves (after a bulk load, or to repair by hand).
"""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from luodi.training.models import SEAT_STATUSES, ClassQuota, Enrolment, TrainingClass


def recount(classes=None) -> None:
    classes = TrainingClass.objects.all() if classes is None else classes
    held = (
        Enrolment.objects.filter(training_class=OuterRef("pk"), status__in=SEAT_STATUSES)
        .order_by()
        .values("training_class")
        .annotate(n=Count("id"))
        .values("n")
    )
    classes.update(seats_taken=Coalesce(Subquery(held), 0))
    used = (
        Enrolment.objects.filter(
            training_class=OuterRef("training_class"),
            city=OuterRef("city"),
            status__in=SEAT_STATUSES,
        )
        .order_by()
        .values("training_class")
        .annotate(n=Count("id"))
        .values("n")
    )
    ClassQuota.objects.filter(training_class__in=classes).update(used=Coalesce(Subquery(used), 0))
