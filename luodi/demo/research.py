"""The demo college's research output and case library, entered through the services as staff
would:

- five years of research: a few projects a year (national to college level, funded by the
  Central Organization Department, the Ministry of Civil Affairs, the province…), the
  publications and advisory work they led to, by the demo teachers and linked to the courses
  those teachers teach;
- the case library: the registry's cases get a full text, lessons, need topics and an author,
  new cases written by teachers bring it to a few dozen at scale 1, and up to two application
  stories (if the demo has any) are promoted into it.

Everything is drawn from the builder's seeded random generator, in a fixed order.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection

from luodi.accounts.models import User
from luodi.curriculum import services as case_services
from luodi.curriculum.models import Course, NeedTopic, TeachingCase
from luodi.demo import data
from luodi.demo import research_data as words
from luodi.demo.common import Weighted
from luodi.faculty.models import Teacher, TeacherKind
from luodi.regions.models import Community
from luodi.research import services
from luodi.research.models import normalised_title
from luodi.training.models import ApplicationStory
from luodi.training.services.stories import story_promote

# Per year at scale 1.
PROJECTS_PER_YEAR = 5
PUBLICATIONS_PER_YEAR = 9
ADVISORY_PER_YEAR = 3
CASES = 36  # the case library at scale 1
STORIES_PROMOTED = 2


class ResearchBuilder:
    """Mixed into the demo builder: ``self.rng``, ``self.today``, ``self.scale``, ``self.log``."""

    def build_research(self) -> None:
        self.log("Research and cases")
        self.research_by = User.objects.get(username="staff")
        teachers = list(Teacher.objects.order_by("pk"))
        if not teachers:
            return
        self.researchers = [t for t in teachers if t.kind == TeacherKind.FULL_TIME] or teachers
        self.all_teachers = teachers
        self.courses_of: dict[int, list[Course]] = defaultdict(list)
        courses = {c.pk: c for c in Course.objects.order_by("pk")}
        for course_id, teacher_id in Course.teachers.through.objects.order_by("pk").values_list(
            "course_id", "teacher_id"
        ):
            self.courses_of[teacher_id].append(courses[course_id])
        self.all_courses = list(courses.values())
        counts = {"research_projects": 0, "publications": 0, "advisory_works": 0}
        for year in range(self.today.year - 4, self.today.year + 1):
            counts["research_projects"] += self._projects(year)
            counts["publications"] += self._publications(year)
            counts["advisory_works"] += self._advisory(year)
        self.counts.update(counts)
        self._cases()

    def _per_year(self, base: int) -> int:
        return max(1, round(base * self.scale))

    def _day_in(self, year: int) -> date:
        """A day of ``year`` before today."""
        first = date(year, 1, 1)
        last = min(date(year, 12, 31), self.today - timedelta(days=1))
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def _informed(self, teachers: list[Teacher]) -> list[Course]:
        """One or two courses the teachers teach (any course if they teach none)."""
        taught = list(dict.fromkeys(c for t in teachers for c in self.courses_of[t.pk]))
        pool = taught or self.all_courses
        return self.rng.sample(pool, min(len(pool), self.rng.randint(1, 2))) if pool else []

    def _team(self, lead: Teacher, most: int) -> list[Teacher]:
        others = [t for t in self.researchers if t.pk != lead.pk]
        return self.rng.sample(others, min(len(others), self.rng.randint(0, most)))

    def _projects(self, year: int) -> int:
        rng = self.rng
        levels = Weighted(words.LEVEL_WEIGHTS)
        made, tries = 0, 0
        titles: set[tuple[str, str]] = getattr(self, "_project_titles", set())
        self._project_titles = titles
        while made < self._per_year(PROJECTS_PER_YEAR) and tries < 50:
            tries += 1
            level = levels.pick(rng)
            funders, (low, high) = words.FUNDERS[level]
            funder = rng.choice(funders)
            title = rng.choice(words.SUBJECTS) + rng.choice(words.PROJECT_ENDINGS)
            if (title, funder) in titles:
                continue
            titles.add((title, funder))
            start = self._day_in(year).replace(day=1)
            age = (self.today - start).days
            status, end = "in_progress", None
            if age > 2 * 365 or (age > 365 and rng.random() < 0.5):
                status = "completed"
                end = min(start + timedelta(days=rng.randint(300, 700)), self.today)
            elif age < 60:
                status = "applied"
            lead = rng.choice(self.researchers)
            members = self._team(lead, 3)
            outputs = ""
            if status == "completed":
                papers, advice = rng.randint(1, 4), rng.randint(0, 2)
                outputs = f"结题报告一份；发表论文{papers}篇；咨政建议{advice}份。"
            services.project_save(
                by=self.research_by,
                title=title,
                funder=funder,
                level=level,
                principal=lead,
                start_date=start,
                end_date=end,
                status=status,
                budget=Decimal(rng.randint(low, high)),
                outputs=outputs,
                members=members,
                courses=self._informed([lead, *members]),
            )
            made += 1
        return made

    def _publications(self, year: int) -> int:
        rng = self.rng
        kinds = Weighted(words.PUBLICATION_KIND_WEIGHTS)
        made, tries, keys = 0, 0, set()
        while made < self._per_year(PUBLICATIONS_PER_YEAR) and tries < 80:
            tries += 1
            kind = kinds.pick(rng)
            subject = rng.choice(words.SUBJECTS)
            joint = "：" if "的" in subject else "的"  # not two 的 in one title
            titles = {
                "newspaper": rng.choice(words.NEWSPAPER_TITLES),
                "book": f"{subject}研究",
                "report": f"{subject}调研报告",
                "journal": f"{subject}{joint}{rng.choice(words.PUBLICATION_ASPECTS)}",
            }
            title = titles[kind]
            if (normalised_title(title), year) in keys:
                continue  # the duplicate rule: one title a year
            keys.add((normalised_title(title), year))
            authors = [rng.choice(self.researchers)]
            authors += self._team(authors[0], 2)
            services.publication_save(
                by=self.research_by,
                title=title,
                authors=authors,
                external_authors="" if rng.random() < 0.8 else "王红（东北大学）",
                venue=rng.choice(words.VENUES[kind]),
                kind=kind,
                published_on=self._day_in(year),
                courses=self._informed(authors),
            )
            made += 1
        return made

    def _advisory(self, year: int) -> int:
        rng = self.rng
        count = self._per_year(ADVISORY_PER_YEAR)
        for _ in range(count):
            kind = rng.choice(list(words.ADVISORY))
            teachers = [rng.choice(self.researchers)]
            teachers += self._team(teachers[0], 1)
            services.advisory_save(
                by=self.research_by,
                title=rng.choice(words.ADVISORY[kind]),
                kind=kind,
                client=rng.choice(words.ADVISORY_CLIENTS[kind]),
                date=self._day_in(year),
                teachers=teachers,
                courses=self._informed(teachers),
            )
        return count

    # The case library ------------------------------------------------------------------------

    def _case_text(self, theme) -> tuple[str, str]:
        _titles, problem, steps, effect, lesson = theme
        chosen = sorted(self.rng.sample(range(len(steps)), min(3, len(steps))))
        numbers = "一二三四"
        done = "\n".join(f"{numbers[i]}是{steps[k]}。" for i, k in enumerate(chosen))
        return f"背景：{problem}\n\n主要做法：\n{done}\n\n成效：{effect}", lesson

    def _topics_of(self, text: str) -> list[NeedTopic]:
        named = [t for t in self.topics if any(w in text for w in self.topic_words[t.name])]
        return named[:3]

    def _courses_for(self, topics: list[NeedTopic]) -> list[Course]:
        ids = {t.pk for t in topics}
        covering = [c for c in self.case_courses if ids & self.course_topics[c.pk]]
        pool = covering or self.case_courses or self.all_courses
        return self.rng.sample(pool, min(len(pool), 2))

    def _theme_for(self, title: str):
        for theme in words.CASE_THEMES:
            if any(t in title or title[-4:] in t for t in theme[0]):
                return theme
        return self.rng.choice(words.CASE_THEMES)

    def _cases(self) -> None:
        rng = self.rng
        self.topics = list(NeedTopic.objects.order_by("pk"))
        self.topic_words = {name: ws for _cat, name, ws in data.NEED_TOPICS}
        for topic in self.topics:
            self.topic_words.setdefault(topic.name, [topic.name])
        self.course_topics: dict[int, set[int]] = defaultdict(set)
        for course_id, topic_id in Course.need_topics.through.objects.values_list(
            "course_id", "needtopic_id"
        ):
            self.course_topics[course_id].add(topic_id)
        self.case_courses = [c for c in self.all_courses if c.method == "case_analysis"]
        # The registry numbered its cases itself: PostgreSQL's sequence must move past them
        # before a case is created the ordinary way (SQLite takes the highest id anyway).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [TeachingCase]):
                cursor.execute(sql)
        # The registry's cases: their full text, lessons, topics and the teacher who wrote them.
        existing = list(TeachingCase.objects.order_by("pk"))
        for case in existing:
            full_text, lessons = self._case_text(self._theme_for(case.title))
            topics = self._topics_of(case.title + case.summary + full_text)
            case_services.case_update(
                case=case,
                full_text=full_text,
                lessons=lessons,
                author=rng.choice(self.researchers),
                need_topics=topics,
                by=self.research_by,
            )
        # New cases written by teachers, from communities across the province.
        titles = {c.title for c in existing}
        wanted = max(len(existing) + 1, round(CASES * self.scale))
        communities = list(Community.objects.order_by("pk").only("pk", "name"))
        made, tries = len(existing), 0
        while made < wanted and tries < wanted * 10 and communities:
            tries += 1
            theme = rng.choice(words.CASE_THEMES)
            community = rng.choice(communities)
            title = f"{community.name}{rng.choice(theme[0])}"
            if title in titles:
                continue
            titles.add(title)
            full_text, lessons = self._case_text(theme)
            topics = self._topics_of(title + full_text)
            case_services.case_create(
                by=self.research_by,
                title=title,
                summary=theme[1][:40].rstrip("，、") + "……" + theme[3],
                community=community,
                full_text=full_text,
                lessons=lessons,
                author=rng.choice(self.researchers),
                need_topics=topics,
                courses=self._courses_for(topics),
            )
            made += 1
        promoted = 0
        for story in ApplicationStory.objects.filter(case__isnull=True).order_by("pk"):
            if promoted == STORIES_PROMOTED:
                break
            try:
                story_promote(story=story, by=self.research_by)
            except ValidationError:
                continue
            promoted += 1
        self.counts["cases"] = TeachingCase.objects.count()
