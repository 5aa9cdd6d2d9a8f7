"""The demo college's faculty pool beyond the register (``registry.build_faculty`` made the
teachers and their review histories): a few unavailable days and weekdays placed where the
timetables leave them free (so no session breaks them), a limit of sessions a day for one or
two, the honorarium rate table, and one or two outstanding alumni promoted to part-time
teachers. Written through the faculty services as the staff member; drawn from ``self.rng``.
"""

from collections import Counter
from datetime import timedelta

from luodi.accounts.models import User
from luodi.faculty import services
from luodi.faculty.models import HonorariumRate, ReviewResult, Teacher, TeacherKind, TitleBand
from luodi.training.models import Session
from luodi.training.services.promotion import teacher_promote
from luodi.training.teacher_candidates import candidates

# Yuan per teaching hour, as the data migration seeds them (the table may have been emptied).
RATES = {
    (TeacherKind.PART_TIME, TitleBand.SENIOR): 1000,
    (TeacherKind.PART_TIME, TitleBand.ASSOCIATE): 500,
    (TeacherKind.PART_TIME, TitleBand.INTERMEDIATE): 300,
    (TeacherKind.PART_TIME, TitleBand.OTHER): 200,
    (TeacherKind.FULL_TIME, TitleBand.SENIOR): 300,
    (TeacherKind.FULL_TIME, TitleBand.ASSOCIATE): 200,
    (TeacherKind.FULL_TIME, TitleBand.INTERMEDIATE): 150,
    (TeacherKind.FULL_TIME, TitleBand.OTHER): 100,
}
AWAY_REASONS = ("外出调研", "出国访学", "参加会议", "集中授课", "病休")


class FacultyPoolBuilder:
    """Mixed into the demo builder: ``self.rng``, ``self.today``, ``self.scale``, ``self.log``."""

    def build_teacher_pool(self) -> None:
        self.log("Faculty pool")
        staff = User.objects.get(username="staff")
        have = set(HonorariumRate.objects.values_list("kind", "title_band"))
        for (kind, band), rate in RATES.items():
            if (kind, band) not in have:
                services.rate_set(title_band=band, kind=kind, per_hour=rate, by=staff)
        teachers = list(Teacher.objects.cleared_on(self.today).order_by("pk"))
        if not teachers:
            return
        dates: dict[int, list] = {t.pk: [] for t in teachers}
        for teacher_id, day in Session.objects.filter(teacher__in=teachers).values_list(
            "teacher_id", "date"
        ):
            dates[teacher_id].append(day)
        few = max(2, round(len(teachers) * 0.1))
        for teacher in self.rng.sample(teachers, min(few, len(teachers))):
            self.away_when_free(teacher, sorted(dates[teacher.pk]), staff)
        for teacher in self.rng.sample(teachers, min(few, len(teachers))):
            taught = Counter(day.weekday() for day in dates[teacher.pk])
            free = [d for d in (5, 6, 0, 4) if not taught[d]]
            if free:
                teacher.unavailable_weekdays = [free[0]]
                services.teacher_save(teacher=teacher, by=staff, changed=["unavailable_weekdays"])
        for teacher in self.rng.sample(teachers, min(2, len(teachers))):
            per_day = Counter(dates[teacher.pk])
            teacher.max_sessions_per_day = max([2, *per_day.values()])
            services.teacher_save(teacher=teacher, by=staff, changed=["max_sessions_per_day"])
        self.promote_alumni(staff)

    def away_when_free(self, teacher: Teacher, taught: list, staff) -> None:
        """A few days away in the coming months, between the teacher's sessions."""
        taught_days = set(taught)
        for _attempt in range(10):
            start = self.today + timedelta(days=self.rng.randint(3, 150))
            end = start + timedelta(days=self.rng.randint(2, 12))
            span = {start + timedelta(days=i) for i in range((end - start).days + 1)}
            if not span & taught_days:
                services.unavailability_add(
                    teacher=teacher,
                    start=start,
                    end=end,
                    reason=self.rng.choice(AWAY_REASONS),
                    by=staff,
                )
                return

    def promote_alumni(self, staff) -> None:
        """One or two outstanding alumni become part-time teachers; the first is reviewed."""
        found = list(candidates(staff)[:6])
        for index, cadre in enumerate(self.rng.sample(found, min(2, len(found)))):
            teacher = teacher_promote(cadre=cadre, by=staff)
            if index == 0:
                services.review_record(
                    teacher=teacher,
                    date=self.today - timedelta(days=self.rng.randint(1, 20)),
                    result=ReviewResult.PASSED,
                    reviewer="学院组织人事处",
                    by=staff,
                )
        self.counts["promoted_alumni"] = min(2, len(found))
