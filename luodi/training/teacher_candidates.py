"""From trainee to teacher: alumni whose training stood out (an outstanding reflection, an
application story) and who are not yet in the faculty pool. Promoting one
(``services.promotion``) makes them a part-time teacher linked to their cadre record, so
their teacher page links their training archive.

Here, in the training layer, because it reads reflections and stories (faculty sits below).
"""

from django.db.models import Count, Q

from luodi.cadres.models import Cadre

_OUTSTANDING = Q(enrolments__reflection__outstanding=True)


def candidates(user):
    """The cadres within ``user``'s reach who stood out and are not teachers yet, those with
    the most to show first: one query (and one to count)."""
    return (
        Cadre.objects.visible_to(user)
        .filter(teacher__isnull=True)
        .filter(
            Q(pk__in=Cadre.objects.filter(_OUTSTANDING).values("pk")) | Q(stories__isnull=False)
        )
        .annotate(
            outstanding=Count("enrolments__reflection", filter=_OUTSTANDING, distinct=True),
            story_count=Count("stories", distinct=True),
        )
        .select_related("community__city", "community__street")
        .order_by("-outstanding", "-story_count", "name_pinyin", "id")
        .distinct()
    )
