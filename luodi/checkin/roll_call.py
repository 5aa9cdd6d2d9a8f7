"""The roll of one session: every trainee expected, with their attendance, missing first."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, F, FilteredRelation, IntegerField, Q, Value, When

from luodi.training.models import AttendanceStatus, Enrolment, Session

# Who needs the head teacher's attention comes first.
_ORDER = Case(
    When(mark__isnull=True, then=Value(0)),
    When(mark=AttendanceStatus.ABSENT, then=Value(1)),
    When(mark=AttendanceStatus.LEAVE, then=Value(2)),
    When(mark=AttendanceStatus.LATE, then=Value(3)),
    default=Value(4),
    output_field=IntegerField(),
)

# In the order of the fields of Counts below.
_COUNTED = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEAVE,
    AttendanceStatus.ABSENT,
)


def _on_roll(session: Session):
    return (
        Enrolment.objects.filter(training_class_id=session.training_class_id)
        .on_roster()
        .alias(here=FilteredRelation("attendances", condition=Q(attendances__session=session)))
    )


def roster(session: Session) -> list[Enrolment]:
    """Each enrolment carries ``mark`` (attendance status or None) and ``checked_in_at``.
    One query, whatever the size of the class."""
    rows = list(
        _on_roll(session)
        .select_related("cadre__community")
        .annotate(mark=F("here__status"), checked_in_at=F("here__checked_in_at"))
        .order_by(_ORDER, "cadre__name_pinyin", "pk")
    )
    for e in rows:
        e.mark_label = AttendanceStatus(e.mark).label if e.mark else ""
    return rows


@dataclass(frozen=True)
class Counts:
    expected: int
    present: int
    late: int
    leave: int
    absent: int

    @property
    def checked_in(self) -> int:
        return self.present + self.late

    @property
    def unmarked(self) -> int:
        return self.expected - self.checked_in - self.leave - self.absent


def counts_of(rows: list[Enrolment]) -> Counts:
    by_mark = Counter(e.mark for e in rows)
    return Counts(len(rows), *(by_mark[s] for s in _COUNTED))


def counts(session: Session) -> Counts:
    """The same figures in one aggregate query, for the classroom screen."""
    figures = _on_roll(session).aggregate(
        expected=Count("pk"),
        **{s: Count("pk", filter=Q(here__status=s)) for s in _COUNTED},
    )
    return Counts(**figures)
