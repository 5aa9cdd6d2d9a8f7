"""From trainee to teacher: alumni whose training stood out (an outstanding reflection, an
application story) and who are not yet in the faculty pool. Promoting one
(``services.promotion``) makes them a part-time teacher linked to their cadre record, so
their teacher page links their training archive.

Here, in the training layer, because it reads reflections and stories (faculty sits below).
"""

from django.db.models import Case, Count, Q, Value, When

from luodi.cadres.models import Cadre
from luodi.training.models import ApplicationStory, Reflection

_OUTSTANDING = Q(enrolments__reflection__outstanding=True)


def candidates(user):
    """The cadres within ``user``'s reach who stood out and are not teachers yet: those with
    an outstanding reflection first, then by name. Their counts are the list's extras
    (``candidate_extras``), for the page's rows only: ordering by the counts would count
    every candidate's reflections and stories before paging."""
    # One IN (subquery) of the two small sets (the outstanding ones by their partial index):
    # the cadres are then read by key. Not correlated EXISTS (probed once per cadre of the
    # province), nor two INs joined by OR, which SQLite answers by reading every cadre (600k
    # at scale 100: 0.6 s).
    outstanding = Reflection.objects.filter(outstanding=True).values("enrolment__cadre_id")
    storied = ApplicationStory.objects.values("cadre_id")
    return (
        Cadre.objects.visible_to(user)
        .filter(teacher__isnull=True)
        .filter(pk__in=outstanding.order_by().union(storied.order_by()))
        .select_related("community__city", "community__street")
        .order_by(
            Case(When(pk__in=outstanding, then=Value(0)), default=Value(1)), "name_pinyin", "id"
        )
    )


def candidate_extras(cadres):
    """The candidates' figures: outstanding reflections and application stories."""
    return cadres.annotate(
        outstanding=Count("enrolments__reflection", filter=_OUTSTANDING, distinct=True),
        story_count=Count("stories", distinct=True),
    )
