"""Importing a class's enrolments: the list of trainees a city sends for a class.

Each row names a registered cadre by ID number (a name, if given, must agree with the record).
Trainees are enrolled through the same service as one enrolled by hand, so the class's capacity
and the cities' quotas hold; the check counts the places left and reports the rows beyond them.
"""

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.cadres import office_values as cadre_values
from luodi.imports.base import CREATE, UNCHANGED, Outcome, Plan, Problem, Progress, Row
from luodi.imports.cadres import check_trainee, known_cadres, trainee_columns
from luodi.imports.kinds import ImportKind, register
from luodi.lib import audit, personal
from luodi.lib.office_values import parse_id_number
from luodi.training.models import ClassQuota, Enrolment, EnrolmentStatus
from luodi.training.services.enrolment import OPEN_FOR_STAFF, enrolment_nominate

H = cadre_values.HEADERS


class EnrolmentImport(ImportKind):
    name = "enrolments"
    label = gettext_lazy("Enrolments of a class")
    key_label = gettext_lazy("ID number")
    needs_class = True
    columns = trainee_columns(
        gettext_lazy("The trainee must be registered as a cadre (import the cadres first).")
    )

    def plan_rows(self, rows: list[Row], *, options: dict, progress: Progress) -> Plan:
        plan = Plan()
        training_class = options["training_class"]
        if training_class.status not in OPEN_FOR_STAFF:
            plan.problems.append(
                _row_problem(
                    rows[0] if rows else None, self, _("this class no longer takes trainees")
                )
            )
            return plan
        numbers = {row.number: row.get("id_number", parse_id_number) for row in rows}
        cadres = known_cadres([n for n in numbers.values() if n], related=("community__city",))
        listed = dict(
            Enrolment.objects.filter(training_class=training_class).values_list(
                "cadre_id", "status"
            )
        )
        free = _free_places(training_class)
        taken: Counter = Counter()
        first: dict[str, int] = {}
        for row in rows:
            number = numbers[row.number]
            if number is None:
                plan.problems.extend(row.problems)
                continue
            cadre = cadres.get(number)
            if number in first:
                row.problem("id_number", _("the same ID number as row %d") % first[number])
            else:
                check_trainee(row, cadre)
            first.setdefault(number, row.number)
            if row.problems or cadre is None:
                plan.problems.extend(row.problems)
                continue
            key = personal.mask_id_number(number)
            if listed.get(cadre.pk, EnrolmentStatus.WITHDRAWN) != EnrolmentStatus.WITHDRAWN:
                plan.outcomes.append(Outcome(row.number, key, UNCHANGED))
                continue
            city = cadre.community.city_id
            if not free.allows(city, taken):
                row.problem("id_number", free.refusal(cadre.community.city.name), value=number)
                plan.problems.extend(row.problems)
                continue
            taken[city] += 1
            plan.outcomes.append(Outcome(row.number, key, CREATE, [], cadre))
        progress(len(rows), len(rows))
        return plan

    def write(self, plan: Plan, *, options: dict, by, progress: Progress) -> None:
        training_class = options["training_class"]
        new = [o for o in plan.outcomes if o.action == CREATE]
        for done, outcome in enumerate(new, 1):
            enrolment_nominate(training_class=training_class, cadre=outcome.record, by=by)
            if done % 50 == 0:
                progress(done, len(new))
        audit.record("import.enrolments", by=by, obj=training_class, enrolled=len(new))


class _FreePlaces:
    def __init__(self, seats: int, quotas: dict[int, int] | None):
        self.seats = seats
        self.quotas = quotas  # None: the class has no quotas

    def allows(self, city: int, taken: Counter) -> bool:
        if sum(taken.values()) >= self.seats:
            return False
        return self.quotas is None or taken[city] < self.quotas.get(city, 0)

    def refusal(self, city_name: str) -> str:
        if self.quotas is None:
            return _("the class is full")
        return _("no place is left in %(city)s's quota") % {"city": city_name}


def _free_places(training_class) -> _FreePlaces:
    quotas = {
        q.city_id: q.quota - q.used
        for q in ClassQuota.objects.filter(training_class=training_class)
    }
    return _FreePlaces(training_class.capacity - training_class.seats_taken, quotas or None)


def _row_problem(row: Row | None, kind: ImportKind, reason: str) -> Problem:
    return Problem(row.number if row else 0, str(kind.label), "", reason)


register(EnrolmentImport())
