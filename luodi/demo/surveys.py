"""The demo college's surveys, built through the survey services as staff and trainees would:

- the **loop class** (the held class that ended about a hundred days ago, so its follow-up is open
  now) asked its trainees about their needs before it began, targeted the needs they ranked
  highest, had every session evaluated, asked whether each targeted need was met, and is now
  hearing in its follow-up what trainees applied;
- the **class in progress** has its finished sessions' evaluations open: the demo trainee has
  not answered them yet, so they are due on her phone;
- the most recent other held classes had their sessions evaluated, so teachers have ratings
  over time.

Trainees answer through ``response_submit`` with the moment they answered (``at``), which the
survey must have been open for. Everything is drawn from the builder's seeded random generator;
response and answer ids are random by design (anonymity), and nothing else depends on them.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from luodi.accounts.models import User
from luodi.accounts.trainee_accounts import create_trainee_accounts
from luodi.cadres.models import Cadre
from luodi.curriculum.models import Course, NeedTopic
from luodi.demo import survey_data
from luodi.needs.analysis import Group, rank_topics
from luodi.needs.models import ResearchRecord
from luodi.needs.services import FindingSpec, record_save
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
from luodi.training.services.planning import class_set_target_needs
from luodi.training.services.reflections import reflection_mark

LOOP_CLASS_ENDED_DAYS_AGO = 100
OTHER_CLASSES_EVALUATED = 4
TARGETED_NEEDS = 3


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
        target = self.today - timedelta(days=LOOP_CLASS_ENDED_DAYS_AGO)
        loop = min(held, key=lambda c: (abs((c.end_date - target).days), c.pk))
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

    def answer_loop_class(self, loop: TrainingClass) -> None:
        users = self.respondents(loop)
        covered = Counter(
            NeedTopic.objects.filter(courses__sessions__training_class=loop).values_list(
                "pk", flat=True
            )
        )
        # 1. Before the class: what its trainees need (named, so staff can follow up).
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
                data = self.needs_answers(needs, covered)
                services.response_submit(survey=needs, data=data, user=user, at=answered_at)
        self.record_research(loop, covered)
        # The class targets the needs ranked highest (the needs analysis, as staff see it)
        # among those its courses cover.
        ranked = [r.topic.pk for r in rank_topics(Group(), today=self.today)]
        targets = [t for t in ranked if t in covered][:TARGETED_NEEDS]
        class_set_target_needs(training_class=loop, topics=targets, by=self.staff)
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

    def record_research(self, loop: TrainingClass, covered: Counter) -> None:
        """Before the class: a community visit and a forum of former trainees, in the cities
        the class's trainees come from, each finding tagged with the needs it shows."""
        cities = list(
            Enrolment.objects.filter(training_class=loop)
            .values_list("city_id", flat=True)
            .distinct()
            .order_by("city_id")[:2]
        )
        topics = sorted(covered) or list(NeedTopic.objects.values_list("pk", flat=True)[:4])
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

    def needs_answers(self, survey: Survey, covered: Counter) -> dict[str, list[str]]:
        """A trainee's needs: the topics the class covers are needed more."""
        data: dict[str, list[str]] = {}
        for q in survey.questions.all():
            if q.kind == QuestionKind.MATRIX:
                for item, topic in enumerate(q.option_topics):
                    low, high = (3, 5) if topic in covered else (1, 4)
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
