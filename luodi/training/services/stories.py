"""Application stories (学以致用): entered by staff or made from a follow-up answer, and
promoted by staff into the case library as a teaching case linked to the story's course."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luodi.accounts.models import User
from luodi.cadres.models import Cadre
from luodi.curriculum.models import CaseSource, Course, NeedTopic, TeachingCase
from luodi.faculty.models import Teacher
from luodi.lib import audit
from luodi.training.models import ApplicationStory, StorySource, TrainingClass

# The fields staff enter and edit (the cadre is chosen once, at creation).
EDITABLE = (
    "community",
    "training_class",
    "course",
    "teacher",
    "problem",
    "applied",
    "outcome",
    "still_needed",
    "occurred_on",
)
TITLE_MAX_LENGTH = 100  # TeachingCase.title


def _check_took_part(cadre: Cadre, training_class: TrainingClass | None) -> None:
    if training_class and not training_class.enrolments.took_part().filter(cadre=cadre).exists():
        raise ValidationError(
            {"training_class": _("%(name)s did not take part in this class.") % {"name": cadre}}
        )


@transaction.atomic
def story_create(
    *,
    cadre: Cadre,
    applied: str,
    outcome: str,
    problem: str = "",
    still_needed: str = "",
    training_class: TrainingClass | None = None,
    course: Course | None = None,
    teacher: Teacher | None = None,
    occurred_on: date | None = None,
    source: str = StorySource.STAFF,
    by: User | None,
) -> ApplicationStory:
    """A new story of ``cadre``, in the community they serve now."""
    _check_took_part(cadre, training_class)
    story = ApplicationStory(
        cadre=cadre,
        community_id=cadre.community_id,
        training_class=training_class,
        course=course,
        teacher=teacher,
        problem=(problem or "").strip(),
        applied=(applied or "").strip(),
        outcome=(outcome or "").strip(),
        still_needed=(still_needed or "").strip(),
        occurred_on=occurred_on,
        source=source,
        created_by=by,
    )
    story.full_clean()
    story.save()
    audit.record("story.create", by=by, obj=story, cadre=cadre.pk, source=source)
    return story


@transaction.atomic
def story_update(*, story: ApplicationStory, by: User, **changes) -> ApplicationStory:
    """Change what staff may edit of a story (``EDITABLE``); its cadre and source stay."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(story, field, value.strip() if isinstance(value, str) else value)
    if "training_class" in changes:
        _check_took_part(story.cadre, story.training_class)
    story.full_clean()
    story.save()
    audit.record("story.update", by=by, obj=story, fields=",".join(sorted(changes)))
    return story


def story_from_follow_up(
    *,
    cadre: Cadre,
    training_class: TrainingClass,
    applied: str,
    outcome: str,
    still_needed: str,
    by: User | None,
    course: Course | None = None,
) -> ApplicationStory | None:
    """A story from a trainee's answers to a class's follow-up survey ("what did you apply,
    what happened, what do you still need"), told under ``course`` when the trainee named
    one. Nothing is made when they applied nothing and nothing happened; what they still need
    alone is a need, not a story."""
    applied, outcome = (applied or "").strip(), (outcome or "").strip()
    if not applied and not outcome:
        return None
    if not applied:
        raise ValidationError({"applied": _("Say what was applied.")})
    if not outcome:
        raise ValidationError({"outcome": _("Say what happened.")})
    return story_create(
        cadre=cadre,
        training_class=training_class,
        applied=applied,
        outcome=outcome,
        still_needed=still_needed,
        course=course,
        source=StorySource.FOLLOW_UP,
        by=by,
    )


def case_draft(story: ApplicationStory) -> tuple[str, str]:
    """The title and summary a promoted story's case starts from, in Chinese as the case
    library is: the community and the problem (or what was applied) for the title; the
    problem, what was done and what happened for the summary."""
    lines = (story.problem.strip() or story.applied.strip()).splitlines()
    title = f"{story.community.name}：{lines[0] if lines else ''}"
    if len(title) > TITLE_MAX_LENGTH:
        title = title[: TITLE_MAX_LENGTH - 1] + "…"
    parts = [
        ("问题", story.problem),
        ("做法", story.applied),
        ("成效", story.outcome),
    ]
    summary = "\n\n".join(f"{label}：{text.strip()}" for label, text in parts if text.strip())
    return title, summary


def already_promoted(story: ApplicationStory) -> ValidationError:
    return ValidationError(
        _("This story is already the teaching case “%(case)s”; a story is promoted once.")
        % {"case": story.case},
        code="promoted",
    )


@transaction.atomic
def story_promote(
    *, story: ApplicationStory, by: User, title: str = "", summary: str = ""
) -> TeachingCase:
    """Turn a story into a teaching case of the case library, linked to the story's course and
    community; the story then links to its case. A story is promoted once."""
    story = (
        ApplicationStory.objects.select_for_update(of=("self",))
        .select_related("community", "case")
        .get(pk=story.pk)
    )
    if story.case_id:
        raise already_promoted(story)
    draft_title, draft_summary = case_draft(story)
    title = (title or "").strip() or draft_title
    summary = (summary or "").strip() or draft_summary
    if TeachingCase.objects.filter(title=title).exists():
        raise ValidationError(
            {
                "title": _("The case library already has a case titled “%(title)s”.")
                % {"title": title}
            }
        )
    case = TeachingCase(
        title=title, community=story.community, summary=summary, source=CaseSource.STORY
    )
    case.full_clean()
    case.save()
    if story.course_id:
        case.courses.add(story.course_id)
        # The needs the story's course covers are the needs its case speaks to.
        case.need_topics.add(*NeedTopic.objects.filter(courses=story.course_id))
    story.case = case
    story.save(update_fields=["case", "updated_at"])
    audit.record("story.promote", by=by, obj=story, case=case.pk, course=story.course_id)
    return case
