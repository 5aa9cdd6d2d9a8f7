"""The demo college's registries: regions and communities, cadres, faculty and curriculum.

A mixin of ``builder._Builder``, split off by topic; see ``builder`` for the rules both follow.
"""

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from luodi.cadres.models import Cadre
from luodi.curriculum.models import Course, CourseCategory, FieldSite, NeedTopic, TeachingCase
from luodi.demo import data
from luodi.demo.common import (
    BATCH_SIZE,
    COMMUNITY_VARIANTS,
    STREET_VARIANTS,
    CadreRows,
    Weighted,
    apportion,
    ensure_names,
    mapped_in_child,
    place_name,
    unique_names,
    years_before,
)
from luodi.faculty.models import (
    ExpertiseTag,
    PoliticalReview,
    ReviewResult,
    ReviewStatus,
    Teacher,
    TeacherKind,
    TitleBand,
)
from luodi.faculty.services import reviews_load, valid_until_for
from luodi.lib import personal, pinyin
from luodi.lib.bulk import insert_rows
from luodi.regions.models import Community, PartyOrgType, Region, RegionLevel

COMMUNITY_COLUMNS = (
    "created_at updated_at id code name street district city buildings households residents "
    "party_members party_org_type address"
)
CADRE_BATCH = 10_000  # cadres drawn, then encoded in another process, then written


class RegistryBuilder:
    """Builds everything a class needs before it is planned; expects ``_Builder``'s state."""

    # Regions and communities ----------------------------------------------------------------

    def build_regions(self) -> None:
        rng = self.rng
        self.log("Regions and communities")
        self.regions: list[Region] = []
        self.city_ids: dict[str, int] = {}
        self.district_codes: list[str] = []
        self.streets: list[str] = []  # full names of street offices
        self.communities: list[tuple] = []  # (id, name, district code, label, address, org)
        self.article_communities: dict[str, int] = {}
        self.profiles: list[tuple] = []  # rows of COMMUNITY_COLUMNS
        self.community_stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        province = self.region(*data.PROVINCE, RegionLevel.PROVINCE, None)
        articles = {code: name for _city, code, name in data.ARTICLE_COMMUNITIES}
        total = self.size("communities", minimum=len(data.CITIES))
        per_city = apportion(total, [c[2] for c in data.CITIES], minimum=1)
        for (city, code, _share, districts), in_city in zip(data.CITIES, per_city, strict=True):
            city_id = self.city_ids[city] = self.region(city, code, RegionLevel.CITY, province)
            n_articles = sum(code in articles for _name, code in districts)
            weights = [rng.uniform(0.6, 1.4) for _ in districts]
            sizes = apportion(in_city - n_articles, weights)
            for (district, code), size in zip(districts, sizes, strict=True):
                district_id = self.region(district, code, RegionLevel.DISTRICT, city_id)
                self.district_codes.append(code)
                article = articles.get(code)
                names = unique_names(rng, size, {article}, COMMUNITY_VARIANTS)
                if article:
                    names.insert(rng.randrange(size + 1), article)
                if names:
                    self.build_streets(city, district, district_id, names, article)
        Region.objects.bulk_create(self.regions, batch_size=BATCH_SIZE)
        insert_rows(Community, COMMUNITY_COLUMNS, self.profiles)
        self.counts.update(cities=len(self.city_ids), districts=len(self.district_codes))
        self.counts.update(streets=len(self.streets), communities=len(self.profiles))
        del self.regions, self.profiles

    def region(self, name: str, code: str, level: str, parent_id: int | None) -> int:
        region_id = len(self.regions) + 1
        region = Region(id=region_id, name=name, code=code, level=level, parent_id=parent_id)
        self.regions.append(region)
        return region_id

    def build_streets(self, city, district, district_id, names: list[str], article) -> None:
        """Streets of a district, sharing the district's communities among them."""
        rng = self.rng
        count = min(999, max(1, round(len(names) / rng.uniform(7, 12))))
        streets = unique_names(rng, count, set(), STREET_VARIANTS)
        sizes = apportion(len(names), [rng.uniform(0.5, 1.5) for _ in streets], minimum=1)
        district_code = self.regions[district_id - 1].code
        for index, (street, size) in enumerate(zip(streets, sizes, strict=True)):
            street += data.STREET_SUFFIX
            code = f"{district_code}{index + 1:03d}"
            street_id = self.region(street, code, RegionLevel.STREET, district_id)
            self.streets.append(f"{city}{district}{street}")
            for number in range(1, size + 1):
                name = names.pop()
                place = (city, district, district_id, street_id, f"{code}{number:03d}")
                self.profiles.append(self.community(place, name, name == article))

    def community(self, place: tuple, name: str, is_article: bool) -> tuple:
        rng = self.rng
        city, district, district_id, street_id, code = place
        community_id = len(self.communities) + 1
        # The article's communities are large ones, led by a party committee (宋娟 is 党委书记).
        buildings = max(45 if is_article else 10, int(10 + 110 * rng.random() ** 1.6))
        households = buildings * rng.randint(18, 55)
        residents = int(households * rng.uniform(2.3, 2.9))
        party_members = int(residents * rng.uniform(0.02, 0.065))
        roll = rng.random()
        if party_members >= 300 or is_article:
            big = roll < 0.85 or is_article
            org = PartyOrgType.COMMITTEE if big else PartyOrgType.GENERAL_BRANCH
        elif party_members >= 100:
            org = PartyOrgType.GENERAL_BRANCH if roll < 0.65 else PartyOrgType.COMMITTEE
        else:
            org = PartyOrgType.BRANCH if roll < 0.7 else PartyOrgType.GENERAL_BRANCH
        road = place_name(rng) + rng.choice(data.ROAD_SUFFIXES)
        address = f"{city}{district}{road}{rng.randint(1, 300)}号"
        if is_article:
            self.article_communities[name] = community_id
        label = f"{city}{district}{name}社区"
        self.communities.append((community_id, name, code[:6], label, address, org))
        return (
            *(self.community_stamp, self.community_stamp, community_id, code, f"{name}社区"),
            *(street_id, district_id, self.city_ids[city]),
            *(buildings, households, residents, party_members, org, address),
        )

    # Cadres ---------------------------------------------------------------------------------

    def build_cadres(self) -> None:
        rng = self.rng
        self.log("Cadres")
        self.surnames, self.ethnicities = Weighted(data.SURNAMES), Weighted(data.ETHNICITIES)
        self.extra_posts = Weighted(data.EXTRA_POSTS)
        # Political status keyed by "younger than 35", education by "younger than 40".
        self.political = {
            True: Weighted(data.POLITICAL_UNDER_35),
            False: Weighted(data.POLITICAL_OVER_35),
        }
        self.education = {
            True: Weighted(data.EDUCATION_UNDER_40),
            False: Weighted(data.EDUCATION_OVER_40),
        }
        self.phones: set[str] = set()
        self.id_numbers: set[str] = set()
        self.article_cadres: dict[str, int] = {}
        # Per cadre, indexed by id: what rosters need without reading the rows back.
        self.cadre_post: list[str] = [""]
        self.cadre_started: list[int] = [0]  # ordinal of started_on
        self.cadre_community: list[int] = [0]
        articles = {spec[2]: spec for spec in data.ARTICLE_CADRES}
        cadre_rows = CadreRows()

        def drawn() -> Iterator[list[dict]]:
            batch: list[dict] = []
            for community in self.communities:
                community_id, name, *_rest, org = community
                posts = ["secretary"]
                posts += ["director"] if rng.random() < 0.75 else []
                posts += ["deputy_secretary"] if rng.random() < 0.5 else []
                extra = rng.choices((1, 2, 3), cum_weights=(65, 95, 100))[0]
                extra += org == PartyOrgType.COMMITTEE  # bigger communities, bigger teams
                posts += [self.extra_posts.pick(rng) for _ in range(extra)]
                is_article = self.article_communities.get(name) == community_id
                for index, post in enumerate(posts):
                    spec = articles[name] if is_article and index == 0 else None
                    batch.append(self.cadre(community, post, spec))
                    if len(batch) >= CADRE_BATCH:
                        yield batch
                        batch = []
            yield batch

        # Drawn here, their ID and phone numbers encrypted and digested in a copy of this
        # process meanwhile (half the cost of a cadre), written here.
        for rows in mapped_in_child(cadre_rows.rows, drawn()):
            cadre_rows.write(rows)
        self.counts["cadres"] = len(self.cadre_post) - 1
        del self.id_numbers

    def cadre(self, community: tuple, post: str, spec: tuple | None) -> dict:
        """A cadre, as the keyword arguments of ``CadreRows.row``."""
        rng = self.rng
        cadre_id = len(self.cadre_post)
        ages, tenures = data.POST_PROFILES[post]
        if spec:
            name, gender, _community, age, tenure, _classes = spec
            self.article_cadres[name] = cadre_id
            forms, parts = (pinyin.full(name), pinyin.initials(name)), None
        else:
            gender = "F" if rng.random() < 0.62 else "M"  # most community workers are women
            age = round(rng.triangular(*ages))
            surname, given = self.person_name_parts(gender, age)
            # Read as pinyin where the numbers are encrypted (``CadreRows.rows``).
            name, forms, parts = surname + given, None, (surname, given)
            tenure = rng.uniform(*tenures)
        birth = years_before(self.today, age) - timedelta(days=rng.randrange(365))
        adult = years_before(birth, -18) + timedelta(days=1)
        started = self.today - timedelta(days=int(tenure * 365) + rng.randrange(120))
        if started < adult:
            started = min(adult + timedelta(days=rng.randrange(1000)), self.today - timedelta(30))
        # Most took up their present post some years after starting community work; about
        # one in five within the last two years (new secretaries, to be trained within half
        # a year).
        in_post = min((self.today - started).days, int(rng.triangular(0, 12, 2) * 365))
        post_since = self.today - timedelta(days=in_post)
        # Party secretaries and their deputies are party members, most directors too.
        if post in ("secretary", "deputy_secretary") or (post == "director" and rng.random() < 0.9):
            political = "party_member"
        else:
            political = self.political[age < 35].pick(rng)
        self.cadre_post.append(post)
        self.cadre_started.append(started.toordinal())
        self.cadre_community.append(community[0])
        return {
            "id": cadre_id,
            "name": name,
            "forms": forms,
            "name_parts": parts,
            "gender": gender,
            "birth_date": birth,
            "ethnicity": self.ethnicities.pick(rng),
            "political_status": political,
            "education": self.education[age < 40].pick(rng),
            "id_number": self.id_number(community[2], birth, gender),
            "phone": self.phone(),
            "community_id": community[0],
            "post": post,
            "started_on": started,
            "post_since": post_since,
        }

    def person_name(self, gender: str, age: int) -> str:
        return "".join(self.person_name_parts(gender, age))

    def person_name_parts(self, gender: str, age: int) -> tuple[str, str]:
        """A surname and a given name (drawn given name first)."""
        rng = self.rng
        male = gender == "M"
        chars = data.MALE_GIVEN if male else data.FEMALE_GIVEN
        if rng.random() < 0.35:
            given = rng.choice(chars)
        elif age >= 45 and rng.random() < 0.4:
            given = rng.choice(data.OLDER_MALE_FIRST if male else data.OLDER_FEMALE_FIRST)
            given += rng.choice(chars)
        else:
            given = rng.choice(chars) + rng.choice(chars)
        return self.surnames.pick(rng), given

    def any_name(self, youngest: int, oldest: int) -> str:
        return self.person_name(self.rng.choice("MF"), self.rng.randint(youngest, oldest))

    def id_number(self, district_code: str, birth: date, gender: str) -> str:
        """A fictitious, valid and unique ID number; most people were born where they work."""
        rng = self.rng
        roll = rng.random()
        area = district_code if roll < 0.65 else district_code[:4] + "00" if roll < 0.85 else None
        area = area or rng.choice(self.district_codes)
        while True:
            sequence = 2 * rng.randrange(500) + 1 if gender == "M" else 2 * rng.randrange(1, 500)
            number = personal.make_id_number(area, birth.strftime("%Y%m%d"), sequence)
            if number not in self.id_numbers:
                break
        personal.validate_id_number(number)  # raises if a bad area code slipped into the data
        self.id_numbers.add(number)
        return number

    def phone(self) -> str:
        while True:
            number = self.rng.choice(data.PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    # Faculty --------------------------------------------------------------------------------

    def review_chain(
        self, teacher_id: int, status: str, first: date, *, lapsed: bool
    ) -> list[PoliticalReview]:
        """A teacher's political reviews: a pass on ``first`` renewed before each expiry (the
        older ones now show as expired) until it holds a year past today; a failure; none
        while pending; or, ``lapsed``, one pass long expired and never renewed."""
        rng = self.rng
        reviewers = ("学院组织人事处", "市委组织部", "学院党委")
        if status == ReviewStatus.PENDING:
            return []
        if status == ReviewStatus.FAILED and not lapsed:
            return [
                PoliticalReview(
                    teacher_id=teacher_id,
                    date=first,
                    result=ReviewResult.FAILED,
                    reviewer=rng.choice(reviewers),
                    valid_until=first,
                    note="",
                )
            ]
        if lapsed:
            first = first - timedelta(days=3 * 365 + rng.randint(30, 300))
        chain = []
        day = first
        while True:
            until = valid_until_for(day)
            chain.append(
                PoliticalReview(
                    teacher_id=teacher_id,
                    date=day,
                    result=ReviewResult.PASSED,
                    reviewer=rng.choice(reviewers),
                    valid_until=until,
                    note="续审" if len(chain) else "",
                )
            )
            if lapsed or until >= self.today + timedelta(days=365):
                return chain
            renewal = min(
                until - timedelta(days=rng.randint(10, 90)),
                self.today - timedelta(days=rng.randint(1, 30)),
            )
            if renewal <= day:
                return chain
            day = renewal

    def bank_account(self) -> str:
        return "6222" + "".join(str(self.rng.randrange(10)) for _ in range(15))

    def build_faculty(self) -> None:
        rng = self.rng
        self.log("Faculty")
        vocabulary = data.EXPERTISE_TAGS
        tag_ids = dict(zip(vocabulary, ensure_names(ExpertiseTag, vocabulary), strict=True))
        # Per teacher: (name, kind, unit, title, tags, biography, linked cadre id or None)
        specs = [(name, TeacherKind.FULL_TIME, *rest, None) for name, *rest in data.NAMED_TEACHERS]
        units, titles = Weighted(data.FULL_TIME_UNITS), Weighted(data.FULL_TIME_TITLES)
        for _ in range(self.size("full_time", minimum=len(specs) + 2) - len(specs)):
            unit, title = units.pick(rng), titles.pick(rng)
            tags = rng.sample(data.FULL_TIME_TAGS[unit], rng.randint(2, 3))
            bio = f"{unit}{title}，研究方向为{'、'.join(tags)}。"
            name = self.any_name(32, 62)
            specs.append((name, TeacherKind.FULL_TIME, unit, title, tags, bio, None))
        # Outstanding community secretaries teach too; the article's own are busy as trainees.
        kept = set(self.article_cadres.values())
        secretaries = [c for c, post in enumerate(self.cadre_post) if post == "secretary"]
        secretaries = [c for c in secretaries if c not in kept]
        sources = Weighted({i: s[1] for i, s in enumerate(data.PART_TIME_SOURCES)})
        for _ in range(self.size("part_time", minimum=3)):
            unit, _weight, titles, tags = data.PART_TIME_SOURCES[sources.pick(rng)]
            if unit == "community" and secretaries:
                cadre_id = secretaries.pop(rng.randrange(len(secretaries)))
                tags = rng.sample(tags, rng.randint(2, 4))
                specs.append((None, TeacherKind.PART_TIME, None, None, tags, None, cadre_id))
                continue
            if unit == "community":  # no secretary left to invite: a party-school teacher instead
                unit, _weight, titles, tags = data.PART_TIME_SOURCES[2]
            tags = rng.sample(tags, rng.randint(2, min(4, len(tags))))
            unit, title = unit.format(street=rng.choice(self.streets)), rng.choice(titles)
            bio = f"{unit}{title}，长期从事{'、'.join(tags)}相关工作。"
            name = self.any_name(35, 58)
            specs.append((name, TeacherKind.PART_TIME, unit, title, tags, bio, None))
        linked = Cadre.objects.filter(id__in=[s[6] for s in specs if s[6]])
        cadre_rows = {row[0]: row[1:] for row in linked.values_list("id", "name", "phone")}
        # A few reviews are still pending or did not pass; the named teachers are long cleared.
        doubtful = rng.sample(range(len(data.NAMED_TEACHERS), len(specs)), max(1, len(specs) // 20))
        history_start = date(self.today.year - 4, 1, 1)
        # One or two part-time teachers passed long ago and were never renewed (expired).
        part_time = [i for i in range(len(data.NAMED_TEACHERS), len(specs)) if i not in doubtful]
        lapsed = set(rng.sample(part_time, min(2, max(1, len(part_time) // 10), len(part_time))))
        teachers, through, reviews = [], [], []
        self.teacher_kind: list[str] = [""]  # indexed by teacher id, like the lists below
        self.available_from: list[int] = [0]  # ordinal of a passed review; 0: may not teach
        self.teacher_tags: list[set[str]] = [set()]
        self.teacher_names: list[str] = [""]
        for index, (name, kind, unit, title, tags, bio, cadre_id) in enumerate(specs):
            teacher_id = index + 1
            if cadre_id:  # a secretary's name, phone and post come from the cadre record
                community = self.communities[self.cadre_community[cadre_id] - 1]
                (name, phone), unit = cadre_rows[cadre_id], community[3]
                title = data.SECRETARY_TITLES[community[5]]
                years = (self.today.toordinal() - self.cadre_started[cadre_id]) // 365
                bio = f"{unit}{title}，从事社区工作{years}年，擅长{'、'.join(tags)}。"
            else:
                phone = self.phone() if rng.random() < 0.85 else ""
            status = ReviewStatus.PASSED
            if index in doubtful:
                status = ReviewStatus.PENDING if rng.random() < 0.75 else ReviewStatus.FAILED
            elif index in lapsed:
                status = ReviewStatus.FAILED  # stands for "passed once, expired, not renewed"
            reviewed = history_start - timedelta(days=rng.randint(30, 400))
            if index >= len(data.NAMED_TEACHERS) and rng.random() < 0.2:  # joined the pool later
                reviewed = min(history_start + timedelta(days=rng.randrange(1460)), self.today)
            chain = self.review_chain(teacher_id, status, reviewed, lapsed=index in lapsed)
            reviews += chain
            teachers.append(
                Teacher(
                    id=teacher_id,
                    name=name,
                    name_pinyin=pinyin.full(name),
                    kind=kind,
                    source_unit=unit,
                    title=title,
                    phone=phone,
                    bio=bio,
                    title_band=TitleBand.for_title(title),
                    bank_name=rng.choice(data.BANKS) if kind == TeacherKind.PART_TIME else "",
                    bank_account=self.bank_account() if kind == TeacherKind.PART_TIME else "",
                    cadre_id=cadre_id,
                )
            )
            through += [
                Teacher.expertise.through(teacher_id=teacher_id, expertisetag_id=tag_ids[t])
                for t in tags
            ]
            self.teacher_kind.append(kind)
            # Renewals follow one another without a gap: cleared from the first pass on.
            passed = status == ReviewStatus.PASSED
            self.available_from.append(chain[0].date.toordinal() if passed else 0)
            self.teacher_tags.append(set(tags))
            self.teacher_names.append(name)
        Teacher.objects.bulk_create(teachers, batch_size=BATCH_SIZE)
        Teacher.expertise.through.objects.bulk_create(through, batch_size=BATCH_SIZE)
        reviews_load(reviews=reviews, by=None)
        self.named_teachers = {spec[0]: i + 1 for i, spec in enumerate(data.NAMED_TEACHERS)}
        # Cadres who teach are kept off rosters, so that no one teaches and sits a class at once.
        self.teaching_cadres = set(cadre_rows)
        self.counts["teachers"] = len(teachers)

    # Curriculum -----------------------------------------------------------------------------

    def build_curriculum(self) -> None:
        rng = self.rng
        self.log("Curriculum")
        categories = [c[0] for c in data.CATEGORIES]
        category_ids = ensure_names(CourseCategory, categories, lambda i: {"position": i + 1})
        cleared = [t for t, day in enumerate(self.available_from) if day]
        qualified = [
            [t for t in cleared if self.teacher_tags[t] & set(tags)] or cleared
            for _name, tags, _focus in data.CATEGORIES
        ]
        fixed = {data.CASE_COURSE: "张平", data.LAW_COURSE: "孙萍"}
        courses, through = [], []
        self.course_ids: dict[str, int] = {}
        self.course_method: list[str] = [""]  # indexed by course id, like the list below
        self.course_teachers: list[list[int]] = [[]]  # cleared teachers only
        self.day_courses: list[list[int]] = [[] for _ in categories]
        self.discussion_courses: list[int] = []
        self.red_site_courses: set[int] = set()
        for course_id, (cat, title, method, hours) in enumerate(self.choose_courses(), start=1):
            candidates = qualified[cat]
            if method == "experience":  # practitioners tell their own experience
                practitioners = [t for t in candidates if self.teacher_kind[t] == "part_time"]
                candidates = practitioners or candidates
            k = min(len(candidates), rng.choices((1, 2, 3), cum_weights=(45, 85, 100))[0])
            teachers = sorted(rng.sample(candidates, k))
            if title in fixed:
                teachers = [self.named_teachers[fixed[title]]]
            blurb = data.METHOD_BLURBS[method].format(title=title, focus=data.CATEGORIES[cat][2])
            description = data.NAMED_COURSE_DESCRIPTIONS.get(title, blurb)
            courses.append(
                Course(
                    id=course_id,
                    category_id=category_ids[cat],
                    title=title,
                    method=method,
                    default_hours=Decimal(hours),
                    description=description,
                )
            )
            through += [
                Course.teachers.through(course_id=course_id, teacher_id=t) for t in teachers
            ]
            self.course_ids[title] = course_id
            self.course_method.append(method)
            self.course_teachers.append(teachers)
            if title in data.RED_SITE_COURSES:
                self.red_site_courses.add(course_id)
            if method == "discussion":  # evening and closing sessions draw on these
                self.discussion_courses.append(course_id)
            else:
                self.day_courses[cat].append(course_id)
        Course.objects.bulk_create(courses, batch_size=BATCH_SIZE)
        Course.teachers.through.objects.bulk_create(through, batch_size=BATCH_SIZE)
        self.build_need_topics(courses, category_ids)
        self.build_field_sites()
        self.build_cases()
        self.counts.update(categories=len(categories), courses=len(courses))

    def build_need_topics(self, courses: list, category_ids: list[int]) -> None:
        """The need topics of each category, and the one to three each course covers."""
        category_of = {cid: cat for cat, cid in enumerate(category_ids)}
        names = [name for _cat, name, _words in data.NEED_TOPICS]
        ids = ensure_names(
            NeedTopic,
            names,
            lambda i: {"category_id": category_ids[data.NEED_TOPICS[i][0]], "position": i + 1},
        )
        topic_ids = dict(zip(names, ids, strict=True))
        Course.need_topics.through.objects.bulk_create(
            [
                Course.need_topics.through(course_id=course.id, needtopic_id=topic_ids[name])
                for course in courses
                for name in data.need_topics_of(
                    category_of[course.category_id], course.title, course.id
                )
            ],
            batch_size=BATCH_SIZE,
        )
        self.counts["need_topics"] = len(topic_ids)

    def choose_courses(self) -> list[tuple]:
        """The named and closing courses and one per category and method, then others at
        random; past the catalogue, variants of its lectures (only large scales need them)."""
        catalogue = data.COURSES
        wanted = self.size("courses", minimum=len(data.CATEGORIES) + 3)
        must = {data.CASE_COURSE, data.LAW_COURSE, data.CLOSING_COURSE}
        must |= {next(c[1] for c in catalogue if c[0] == i) for i in range(len(data.CATEGORIES))}
        must |= {next(c[1] for c in catalogue if c[2] == m) for m in data.METHOD_BLURBS}
        if wanted <= len(catalogue):
            rest = [c[1] for c in catalogue if c[1] not in must]
            must |= set(self.rng.sample(rest, max(0, wanted - len(must))))
            return [c for c in catalogue if c[1] in must]
        lectures = [c for c in catalogue if c[2] == "lecture"]
        suffixes = data.EXTRA_COURSE_SUFFIXES
        extra = []
        for i in range(wanted - len(catalogue)):
            cat, base, _method, _hours = lectures[i % len(lectures)]
            suffix, method = suffixes[i // len(lectures) % len(suffixes)]
            repeat = i // (len(lectures) * len(suffixes))
            title = f"{base}：{suffix}" + (f"（{repeat + 1}）" if repeat else "")
            extra.append((cat, title, method, self.rng.choice(("1.5", "2", "2.5", "3"))))
        return catalogue + extra

    def build_field_sites(self) -> None:
        rng = self.rng
        wanted = self.size("field_sites")
        # A memorial hall and an exemplary community come first: even tiny scales have both.
        specs, names = data.FIELD_SITES[:wanted], {s[0] for s in data.FIELD_SITES}
        while len(specs) < wanted:
            community = rng.choice(self.communities)
            name = community[3] + rng.choice(data.FIELD_SITE_SUFFIXES)
            if name not in names:
                names.add(name)
                specs.append([name, "community", community, "-", "社区特色工作的现场观摩与交流。"])
        sites = []
        self.sites: dict[str, list[int]] = {"red": [], "community": []}
        for site_id, (name, kind, where, address, description) in enumerate(specs, start=1):
            where = self.article_community(where)
            sites.append(
                FieldSite(
                    id=site_id,
                    name=name,
                    community_id=where[0] if where else None,
                    address=address if address != "-" else where[4],
                    contact=self.any_name(30, 55),
                    description=description,
                    travel_minutes=data.FIELD_SITE_TRAVEL.get(name, 30),
                )
            )
            self.sites[kind].append(site_id)
        FieldSite.objects.bulk_create(sites)
        self.counts["field_sites"] = len(sites)

    def article_community(self, where) -> tuple | None:
        """A community tuple from an article community's name, "-" (none) or a tuple."""
        if not isinstance(where, str):
            return where
        community_id = self.article_communities.get(where)
        return self.communities[community_id - 1] if community_id else None

    def build_cases(self) -> None:
        rng = self.rng
        wanted = self.size("cases")
        specs, titles = data.CASES[:wanted], {s[0] for s in data.CASES}
        methods = self.course_method
        case_courses = [t for t, c in self.course_ids.items() if methods[c] == "case_analysis"]
        while len(specs) < wanted:
            community = rng.choice(self.communities)
            title = f"{community[1]}社区{rng.choice(data.CASE_PRACTICES)}"
            if title not in titles:
                titles.add(title)
                linked = rng.sample(case_courses, min(2, len(case_courses)))
                specs.append((title, community, linked, f"{community[3]}的实践：{title}。"))
        cases = []
        self.course_cases: dict[int, list[int]] = {}
        for case_id, (title, where, course_titles, summary) in enumerate(specs, start=1):
            where = self.article_community(where)
            community_id = where[0] if where else None
            cases.append(
                TeachingCase(id=case_id, title=title, summary=summary, community_id=community_id)
            )
            for course_id in filter(None, map(self.course_ids.get, course_titles)):
                self.course_cases.setdefault(course_id, []).append(case_id)
        for title in case_courses:  # every case-analysis course has a case to analyse
            self.course_cases.setdefault(self.course_ids[title], [rng.randint(1, len(cases))])
        through = [
            TeachingCase.courses.through(teachingcase_id=case_id, course_id=course_id)
            for course_id, case_ids in self.course_cases.items()
            for case_id in case_ids
        ]
        TeachingCase.objects.bulk_create(cases)
        TeachingCase.courses.through.objects.bulk_create(through, batch_size=BATCH_SIZE)
        self.counts["cases"] = len(cases)
