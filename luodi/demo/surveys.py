"""The demo college's surveys, built through the survey services as staff and trainees would:

- the **loop class** (the held class that ended about a hundred days ago, so its follow-up is open
  now) asked its enrolled trainees about their needs before it began and visited their
  communities; staff ranked the needs (``needs.analysis``), took the suggested course plan
  (``needs.plan.suggest``) and turned it into the class's timetable (``plan_to_timetable``, which
  also records the needs it targets) — the builder only leaves out a course no cleared teacher is
  free to teach, as staff adjusting the plan would; then every session was evaluated, trainees
  said whether each targeted need was met, and its follow-up now hears what they applied;
- the **class in progress** has its finished sessions' evaluations open: the demo trainee has
  not answered them yet, so they are due on her phone;
- the most recent other held classes had their sessions evaluated, so teachers have ratings
  over time.

Trainees answer through ``response_submit`` with the moment they answered (``at``), which the
survey must have been open for. Everything is drawn from the builder's seeded random generator;
response and answer ids are random by design (anonymity), and nothing else depends on them.
"""

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from luodi.accounts.models import User
from luodi.accounts.trainee_accounts import create_trainee_accounts
from luodi.cadres.models import Cadre
from luodi.curriculum.models import Course, FieldSite, NeedTopic, TeachingMethod
from luodi.demo import data, survey_data
from luodi.needs import plan as course_plan
from luodi.needs.analysis import Group, rank_topics
from luodi.needs.models import ResearchRecord
from luodi.needs.services import (
    FindingSpec,
    TimetableItem,
    place_courses,
    plan_to_timetable,
    record_save,
)
from luodi.surveys import blueprints, services
from luodi.surveys.models import Participation, QuestionKind, Survey
from luodi.training.models import (
    ATTENDED_STATUSES,
    Attendance,
    Enrolment,
    Reflection,
    Session,
    TrainingClass,
)
from luodi.training.policies import may_run_class
from luodi.training.services.reflections import reflection_mark

LOOP_CLASS_ENDED_DAYS_AGO = 100
OTHER_CLASSES_EVALUATED = 4
HOT_NEEDS = 4  # the topics the loop class's trainees need most


class SurveyBuilder:
    """Mixed into the demo builder: ``self.rng``, ``self.today``, ``self.now``, ``self.log``."""

    def build_surveys(self) -> None:
        self.log("Surveys")
        self.staff = User.objects.get(username="staff")
        # Who answers shrinks with the scale (a small demo for the tests), whole from scale 1.
        self.answering = min(1.0, max(self.scale, 0.1))
        held = list(TrainingClass.objects.held().select_related("class_type").order_by("end_date"))
        if not held:
            return
        loop = next(c for c in held if c.pk == self.loop.id)
        # A teacher's evaluations centre on their own level, the same in every class.
        self.teacher_level: dict[int, float] = {}
        self.answer_loop_class(loop)
        others = round(OTHER_CLASSES_EVALUATED * min(1.0, self.scale))
        recent = [c for c in reversed(held) if c != loop][:others]
        for training_class in recent:
            self.evaluate_sessions(training_class, share=0.6)
        current = TrainingClass.objects.filter(pk=self.current.id).first()
        if current is not None:
            self.evaluate_sessions(current, share=0.5, skip_cadre=self.demo_trainee_cadre())
        self.counts["survey_responses"] = Participation.objects.count()

    def demo_trainee_cadre(self) -> int | None:
        return User.objects.filter(username="trainee").values_list("cadre_id", flat=True).first()

    def respondents(self, training_class: TrainingClass) -> dict[int, User]:
        """The class's trainees with their accounts (made as the head teacher would)."""
        cadres = Cadre.objects.filter(
            pk__in=Enrolment.objects.on_roster()
            .filter(training_class=training_class)
            .values("cadre_id")
        )
        create_trainee_accounts(cadres, by=None)
        users = User.objects.filter(cadre__in=cadres).order_by("cadre_id")
        return {u.cadre_id: u for u in users}

    def moment(self, day: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)))

    # The loop class ----------------------------------------------------------------------------

    def plan_loop_class(self) -> None:
        """Before the loop class: its trainees' needs asked and visited, ranked, and the
        suggested course plan turned into its timetable, as staff do on the needs pages."""
        if self.loop is None:
            return
        self.log("The loop class's needs and timetable")
        self.staff = User.objects.get(username="staff")
        self.answering = min(1.0, max(self.scale, 0.1))
        loop = TrainingClass.objects.select_related("class_type").get(pk=self.loop.id)
        users = self.respondents(loop)
        taught = sorted(
            set(NeedTopic.objects.filter(courses__is_active=True).values_list("pk", flat=True))
        )
        hot = set(self.rng.sample(taught, min(HOT_NEEDS, len(taught))))
        # 1. A month before: what its enrolled trainees need (named, so staff can follow up).
        needs = blueprints.needs_questionnaire(
            by=self.staff,
            title=f"{loop.title}训前需求调查",
            audience="class",
            training_class=loop,
            opens_at=self.moment(loop.start_date - timedelta(days=30), 9),
            closes_at=self.moment(loop.start_date - timedelta(days=14), 18),
        )
        needs = services.survey_publish(survey=needs, by=self.staff)
        answered_at = self.moment(loop.start_date - timedelta(days=20), 20)
        for user in users.values():
            if self.rng.random() < 0.85 * self.answering:
                data = self.needs_answers(needs, hot)
                services.response_submit(survey=needs, data=data, user=user, at=answered_at)
        self.record_research(loop, hot)
        # 2. Two weeks before: the needs ranked, the plan suggested and timetabled.
        ranks = rank_topics(Group(), today=loop.start_date - timedelta(days=14))
        scores = course_plan.counted_scores((r.topic.pk, r.score) for r in ranks)
        options = [  # staff plan with the teachers cleared by the class's first day
            replace(o, teachers=tuple(t for t in o.teachers if t.cleared))
            for o in course_plan.course_options(topic_ids=scores, day=loop.start_date)
        ]
        suggested = course_plan.suggest(
            scores=scores, hours=course_plan.class_hours(loop), courses=options
        )
        items = self.timetable_items(loop, suggested)
        kept = course_plan.Plan(
            items=[i for i in suggested.items if i.course.id in {t.course.pk for t in items}],
            hours_available=suggested.hours_available,
            scores=suggested.scores,
        )
        sessions = plan_to_timetable(
            training_class=loop, items=items, topic_ids=kept.covered, by=self.staff
        )
        self.counts["sessions"] += len(sessions)
        for session in sessions:
            self.loop.sessions.append(
                (session.pk, session.date, session.slot, session.teacher_id, session.case_id or 0)
            )
        timetable = [(x.pk, x.date, x.start_time, x.end_time, x.hours) for x in sessions]
        self.mark_later_attendance(self.loop, timetable)

    def timetable_items(self, loop: TrainingClass, suggested) -> list[TimetableItem]:
        """The plan's courses in order, each with its suggested teacher, or another of its
        cleared teachers, free at the slots it takes; a course nobody is free for is left out."""
        courses = Course.objects.in_bulk([i.course.id for i in suggested.items])
        sites = FieldSite.objects.in_bulk()
        teachers = {t.pk: t for c in courses.values() for t in c.teachers.all()}
        items: list[TimetableItem] = []
        # Staff move the closing forum, if the plan has it, to the end.
        for item in sorted(suggested.items, key=lambda i: i.course.title == data.CLOSING_COURSE):
            course = courses[item.course.id]
            try:
                placed = place_courses(loop, [i.course for i in items] + [course])[-1]
            except ValidationError:
                continue  # no slot left for it
            order = [item.teacher] if item.teacher else []
            order += [t for t in item.course.teachers if t != item.teacher]
            free = [
                t.id
                for t in order
                if all(t.id not in self.teacher_busy[p.day.toordinal(), p.slot] for p in placed)
                and all(teachers[t.id].review_problem(p.day) is None for p in placed)
            ]
            if not free:
                continue
            for p in placed:
                self.teacher_busy[p.day.toordinal(), p.slot].add(free[0])
            site = None
            if course.method == TeachingMethod.ON_SITE:
                kind = "red" if course.pk in self.red_site_courses else "community"
                site = sites[self.rng.choice(self.sites[kind] or self.sites["community"])]
            items.append(TimetableItem(course=course, teacher=teachers[free[0]], field_site=site))
        return items

    def answer_loop_class(self, loop: TrainingClass) -> None:
        users = self.respondents(loop)
        targets = list(loop.target_needs.values_list("pk", flat=True))
        # 2. Each session evaluated at its end.
        self.evaluate_sessions(loop, share=0.85, users=users)
        # 3. At the end: was each targeted need met?
        satisfaction = blueprints.class_satisfaction(training_class=loop, by=self.staff)
        satisfaction = services.survey_publish(survey=satisfaction, by=self.staff)
        at = self.moment(loop.end_date, 11)
        for user in users.values():
            if self.rng.random() < 0.9 * self.answering:
                data = self.scale_answers(satisfaction, low=3, high=5)
                services.response_submit(survey=satisfaction, data=data, user=user, at=at)
        # 4. The follow-up, open now: what trainees applied.
        opens = min(
            self.moment(loop.end_date + blueprints.FOLLOW_UP_AFTER, 9),
            self.now - timedelta(days=7),
        )
        follow = blueprints.follow_up(
            training_class=loop,
            by=self.staff,
            opens_at=opens,
            closes_at=self.now + timedelta(days=21),
        )
        follow = services.survey_publish(survey=follow, by=self.staff)
        # Trainees name the course they applied, most often one aimed at a targeted need.
        courses = list(
            Course.objects.filter(sessions__training_class=loop, need_topics__in=targets)
            .distinct()
            .order_by("pk")
        ) or list(Course.objects.filter(sessions__training_class=loop).distinct().order_by("pk"))
        self.answer_follow_up(follow, users, courses, at=self.now - timedelta(days=3))
        self.mark_reflections(loop)

    def mark_reflections(self, loop: TrainingClass) -> None:
        """The head teacher marked a few reflections outstanding."""
        head = User.objects.filter(teacher_id=loop.head_teacher_id).first() or self.staff
        reflections = list(
            Reflection.objects.filter(enrolment__training_class=loop).order_by("enrolment_id")
        )
        for reflection in self.rng.sample(reflections, min(3, len(reflections))):
            reflection_mark(
                reflection=reflection,
                outstanding=True,
                comment=self.rng.choice(survey_data.OUTSTANDING),
                by=head if may_run_class(head, loop) else self.staff,
            )

    def record_research(self, loop: TrainingClass, hot: set[int]) -> None:
        """Before the class: a community visit and a forum of former trainees, in the cities
        the class's trainees come from, each finding tagged with the needs it shows."""
        cities = list(
            Enrolment.objects.filter(training_class=loop)
            .values_list("city_id", flat=True)
            .distinct()
            .order_by("city_id")[:2]
        )
        topics = sorted(hot) or list(NeedTopic.objects.values_list("pk", flat=True)[:4])
        for (kind, place, participants, summary), city_id in zip(
            survey_data.RESEARCH, cities, strict=False
        ):
            findings = [
                FindingSpec(text=text, topic_ids=self.rng.sample(topics, min(2, len(topics))))
                for text in survey_data.FINDINGS[kind]
            ]
            record = ResearchRecord(
                kind=kind,
                date=loop.start_date - timedelta(days=45),
                place=place,
                city_id=city_id,
                participants=participants,
                summary=summary,
            )
            record_save(record=record, findings=findings, by=self.staff)

    def needs_answers(self, survey: Survey, hot: set[int]) -> dict[str, list[str]]:
        """A trainee's needs: the class's hot topics are needed more."""
        data: dict[str, list[str]] = {}
        for q in survey.questions.all():
            if q.kind == QuestionKind.MATRIX:
                for item, topic in enumerate(q.option_topics):
                    low, high = (3, 5) if topic in hot else (1, 4)
                    data[f"q{q.pk}_{item}"] = [str(self.rng.randint(low, high))]
            elif q.role == blueprints.PROBLEM:
                data[f"q{q.pk}"] = [self.rng.choice(survey_data.PROBLEMS)]
            elif q.kind == QuestionKind.MULTIPLE:
                picked = self.rng.sample(range(len(q.options)), 2)
                data[f"q{q.pk}"] = [str(p) for p in picked]
        return data

    def scale_answers(self, survey: Survey, *, low: int, high: int) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for q in survey.questions.all():
            if q.kind == QuestionKind.RATING:
                data[f"q{q.pk}"] = [str(self.rng.randint(max(low, q.scale_min), q.scale_max))]
            elif q.kind == QuestionKind.MATRIX:
                for item in range(len(q.options)):
                    value = self.rng.randint(max(low, q.scale_min), min(high, q.scale_max))
                    data[f"q{q.pk}_{item}"] = [str(value)]
            elif q.kind == QuestionKind.LONG_TEXT and self.rng.random() < 0.3:
                data[f"q{q.pk}"] = [self.rng.choice(survey_data.COMMENTS)]
        return data

    def answer_follow_up(
        self, survey: Survey, users: dict[int, User], courses: list, *, at: datetime
    ) -> None:
        questions = {q.role: q for q in survey.questions.all()}
        for user in users.values():
            if self.rng.random() > 0.7 * self.answering:
                continue
            applied = self.rng.random() < 0.6
            data = {f"q{questions[blueprints.APPLIED_ANY].pk}": ["0" if applied else "1"]}
            if applied:
                what, outcome = self.rng.choice(survey_data.STORIES)
                if courses:
                    what = f"学了《{self.rng.choice(courses).title}》，{what}"
                data[f"q{questions[blueprints.APPLIED].pk}"] = [what]
                data[f"q{questions[blueprints.OUTCOME].pk}"] = [outcome]
            if need_met := questions.get(blueprints.NEED_MET):
                for item in range(len(need_met.options)):
                    data[f"q{need_met.pk}_{item}"] = [str(self.rng.randint(3, 5))]
            if self.rng.random() < 0.5:
                still = self.rng.choice(survey_data.STILL_NEEDED)
                data[f"q{questions[blueprints.STILL_NEEDED].pk}"] = [still]
            services.response_submit(survey=survey, data=data, user=user, at=at)

    # Session evaluations -----------------------------------------------------------------------

    def evaluate_sessions(
        self,
        training_class: TrainingClass,
        *,
        share: float,
        users: dict[int, User] | None = None,
        skip_cadre: int | None = None,
    ) -> None:
        """Each session that has ended is evaluated by ``share`` of those who attended it,
        scored around its teacher's level."""
        users = users if users is not None else self.respondents(training_class)
        sessions = Session.objects.filter(training_class=training_class).select_related(
            "course", "teacher", "training_class"
        )
        attended: dict[int, list[int]] = {}
        for session_id, cadre_id in Attendance.objects.filter(
            session__training_class=training_class, status__in=ATTENDED_STATUSES
        ).values_list("session_id", "enrolment__cadre_id"):
            attended.setdefault(session_id, []).append(cadre_id)
        for session in sessions.order_by("date", "start_time"):
            if session.ends_at > self.now:
                continue
            survey = blueprints.session_evaluation(session=session, by=self.staff)
            rubric = survey.questions.get(role=blueprints.RUBRIC)
            comment = survey.questions.get(role=blueprints.COMMENT)
            level = self.teacher_level.setdefault(session.teacher_id, self.rng.uniform(76, 96))
            at = session.ends_at + timedelta(minutes=10)
            for cadre_id in sorted(attended.get(session.pk, [])):
                user = users.get(cadre_id)
                if (
                    user is None
                    or cadre_id == skip_cadre
                    or self.rng.random() > share * self.answering
                ):
                    continue
                data = {
                    f"q{rubric.pk}_{item}": [
                        str(min(20, max(8, round(self.rng.gauss(level / 5, 1.6)))))
                    ]
                    for item in range(len(rubric.options))
                }
                if self.rng.random() < 0.25:
                    data[f"q{comment.pk}"] = [self.rng.choice(survey_data.COMMENTS)]
                services.response_submit(survey=survey, data=data, user=user, at=at)
