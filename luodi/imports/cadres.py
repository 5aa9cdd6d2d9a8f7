"""Importing community cadres: a city's roster as its organization department keeps it.

A cadre is identified by their ID number (its keyed digest: the number itself is encrypted).
A known cadre is updated with the columns the file has (an empty cell changes nothing); a new
one needs every field the register requires. The birth date and gender come from the ID
number; a file's own 出生年月 or 性别 that disagree with it are reported, not trusted.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luodi.cadres import office_values as cadre_values
from luodi.cadres.models import Cadre
from luodi.imports.base import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Column,
    Outcome,
    Plan,
    Problem,
    Progress,
    Row,
)
from luodi.imports.kinds import ImportKind, register
from luodi.imports.places import NewCommunity, Places, create_communities
from luodi.lib import audit, personal
from luodi.lib.office_values import (
    OfficeValueError,
    clean_text,
    parse_date,
    parse_id_number,
    parse_mobile,
)
from luodi.regions.models import Community

BATCH = 1000
H = cadre_values.HEADERS
# Fields a new cadre must have (the rest come from the ID number or have defaults).
NEEDED_FOR_NEW = ("political_status", "education", "post", "started_on")
# Fields compared with a known cadre's (phone separately: it is encrypted).
COMPARED = (
    "name",
    "ethnicity",
    "political_status",
    "education",
    "post",
    "started_on",
    "post_since",
)


def _name(value: object) -> str:
    text = clean_text(value).replace(" ", "")
    if len(text) > 30:
        raise OfficeValueError(_("longer than 30 characters"))
    return text


def _ethnicity(value: object) -> str:
    text = clean_text(value).replace(" ", "")
    if len(text) > 20:
        raise OfficeValueError(_("longer than 20 characters"))
    return text if text.endswith("族") or len(text) > 2 else f"{text}族"  # 汉 → 汉族


class CadreImport(ImportKind):
    name = "cadres"
    label = gettext_lazy("Community cadres")
    key_label = gettext_lazy("ID number")
    columns = (
        Column("name", gettext_lazy("full name"), H["name"], True, example="张丽"),
        Column(
            "id_number",
            gettext_lazy("ID number"),
            H["id_number"],
            True,
            gettext_lazy("18 characters; format the column as text so Excel keeps every digit."),
            "210202198503150027",
            personal=True,
        ),
        Column(
            "gender",
            gettext_lazy("gender"),
            H["gender"],
            note=gettext_lazy("男 or 女; may be left empty (the ID number says it)."),
            example="女",
        ),
        Column(
            "birth_date",
            gettext_lazy("birth date"),
            H["birth_date"],
            note=gettext_lazy("May be left empty (the ID number says it); checked against it."),
            example="1985.03",
        ),
        Column("ethnicity", gettext_lazy("ethnicity"), H["ethnicity"], example="汉族"),
        Column(
            "political_status",
            gettext_lazy("political status"),
            H["political_status"],
            note=gettext_lazy("中共党员, 预备党员, 共青团员, 民主党派 or 群众."),
            example="中共党员",
        ),
        Column(
            "education",
            gettext_lazy("education"),
            H["education"],
            note=gettext_lazy("研究生, 本科, 大专, 高中/中专 or 初中及以下."),
            example="本科",
        ),
        Column(
            "phone",
            gettext_lazy("mobile phone"),
            H["phone"],
            note=gettext_lazy("11 digits; used to send the trainee's log-in code."),
            example="13904110027",
            personal=True,
        ),
        Column(
            "post",
            gettext_lazy("post"),
            H["post"],
            note=gettext_lazy(
                "A combined post (党委书记、居委会主任) counts as its most senior part."
            ),
            example="党委书记、居委会主任",
        ),
        Column(
            "started_on",
            gettext_lazy("started community work on"),
            H["started_on"],
            example="2012-06",
        ),
        Column(
            "post_since",
            gettext_lazy("in this post since"),
            H["post_since"],
            note=gettext_lazy(
                "When the cadre took up their present post (counts new secretaries)."
            ),
            example="2021-11",
        ),
        Column("city", gettext_lazy("city"), H["city"], example="大连市"),
        Column("district", gettext_lazy("district"), H["district"], example="中山区"),
        Column("street", gettext_lazy("street"), H["street"], example="桃源街道"),
        Column(
            "community",
            gettext_lazy("community"),
            H["community"],
            True,
            gettext_lazy("Add the city and district when names repeat across the province."),
            "桃源社区",
        ),
    )

    def read(self, row: Row, places: Places) -> dict:
        """The row's values, parsed; what is wrong with them is in ``row.problems``."""
        values = {
            "name": row.get("name", _name),
            "id_number": row.get("id_number", parse_id_number),
            "ethnicity": row.get("ethnicity", _ethnicity),
            "political_status": row.get("political_status", cadre_values.parse_political_status),
            "education": row.get("education", cadre_values.parse_education),
            "phone": row.get("phone", parse_mobile),
            "post": row.get("post", cadre_values.parse_post),
            "started_on": row.get("started_on", parse_date),
            "post_since": row.get("post_since", parse_date),
        }
        number = values["id_number"]
        if number:
            born = personal.birth_date_of(number)
            birth = row.get("birth_date", parse_date)
            if birth and (birth.year, birth.month) != (born.year, born.month):
                row.problem("birth_date", _("does not match the ID number (%s)") % born.isoformat())
            gender = row.get("gender", cadre_values.parse_gender)
            expected = "M" if personal.id_number_is_male(number) else "F"
            if gender and gender != expected:
                row.problem("gender", _("does not match the ID number"))
            values.update(birth_date=born, gender=expected)
            if values["started_on"] and values["started_on"] <= born:
                row.problem("started_on", _("before the birth date"))
        if (
            values["post_since"]
            and values["started_on"]
            and values["post_since"] < values["started_on"]
        ):
            row.problem("post_since", _("before the cadre started community work"))
        values["community"] = self.place(row, places)
        return values

    @staticmethod
    def place(row: Row, places: Places):
        try:
            city = places.city(row.raw("city")) if row.has("city") else None
        except OfficeValueError as exc:
            row.problem("city", exc.reason)
            return None
        try:
            district = places.district(row.raw("district"), city) if row.has("district") else None
        except OfficeValueError as exc:
            row.problem("district", exc.reason)
            return None
        if not row.has("community"):
            return row.get("community")  # reports "required"
        try:
            return places.community(
                row.raw("community"),
                city=city,
                district=district,
                street_name=clean_text(row.raw("street")),
                row=row.number,
            )
        except OfficeValueError as exc:
            row.problem("community", exc.reason)
            return None

    def plan_rows(self, rows: list[Row], *, options: dict, progress: Progress) -> Plan:
        plan = Plan()
        places = Places(create_missing=bool(options.get("create_communities")))
        read: list[tuple[Row, dict]] = []
        first_row: dict[str, int] = {}
        for i, row in enumerate(rows, 1):
            values = self.read(row, places)
            number = values["id_number"]
            if number and number in first_row:
                row.problem(
                    "id_number", _("the same ID number as row %d") % first_row[number], number
                )
            elif number:
                first_row[number] = row.number
            if row.problems:
                plan.problems.extend(row.problems)
            else:
                read.append((row, values))
            if i % 500 == 0:
                progress(i, len(rows))
        known = known_cadres([values["id_number"] for _row, values in read])
        for row, values in read:
            cadre = known.get(values["id_number"])
            if cadre is None:
                missing = [f for f in NEEDED_FOR_NEW if values[f] is None]
                if missing:
                    for f in missing:
                        reason = _("needed for a new cadre, but empty")
                        plan.problems.append(Problem(row.number, self.column_label(f), "", reason))
                    continue
                plan.outcomes.append(
                    Outcome(
                        row.number, personal.mask_id_number(values["id_number"]), CREATE, [], values
                    )
                )
                continue
            since, started = values["post_since"], values["started_on"] or cadre.started_on
            if since and since < started:
                reason = _("before the cadre started community work")
                plan.problems.append(
                    Problem(row.number, self.column_label("post_since"), "", reason)
                )
                continue
            changes = self.changes(cadre, values)
            plan.outcomes.append(
                Outcome(
                    row.number,
                    personal.mask_id_number(values["id_number"]),
                    UPDATE if changes else UNCHANGED,
                    changes,
                    (cadre, values),
                )
            )
        plan.extra["communities"] = list(places.new.values())
        progress(len(rows), len(rows))
        return plan

    @staticmethod
    def changes(cadre: Cadre, values: dict) -> list[str]:
        changed = [f for f in COMPARED if values[f] is not None and getattr(cadre, f) != values[f]]
        if values["phone"] and values["phone"] != cadre.phone:
            changed.append("phone")
        community = values["community"]
        if isinstance(community, NewCommunity) or community != cadre.community_id:
            changed.append("community")
        return changed

    def write(self, plan: Plan, *, options: dict, by, progress: Progress) -> None:
        with transaction.atomic():
            created = create_communities(plan.extra.get("communities", []))
            new: list[Cadre] = []
            updated: list[Cadre] = []
            fields: set[str] = set()
            for outcome in plan.outcomes:
                if outcome.action == CREATE:
                    values = dict(outcome.record)
                    values["community_id"] = _community_id(values.pop("community"), created)
                    values["phone"] = values["phone"] or ""
                    values["ethnicity"] = values["ethnicity"] or "汉族"
                    cadre = Cadre(**values)
                    cadre.fill_derived()
                    new.append(cadre)
                elif outcome.action == UPDATE:
                    cadre, values = outcome.record
                    for f in outcome.changes:
                        if f == "community":
                            cadre.community_id = _community_id(values["community"], created)
                        else:
                            setattr(cadre, f, values[f])
                    cadre.fill_derived()
                    fields.update(
                        "community_id" if f == "community" else f for f in outcome.changes
                    )
                    updated.append(cadre)
            total, done = len(new) + len(updated), 0
            for start in range(0, len(new), BATCH):
                Cadre.objects.bulk_create(new[start : start + BATCH])
                done += len(new[start : start + BATCH])
                progress(done, total)
            if updated:
                now = timezone.now()
                for cadre in updated:
                    cadre.updated_at = now
                fields |= {"name_pinyin", "name_initials", "phone_digest", "updated_at"}
                Cadre.objects.bulk_update(updated, sorted(fields), batch_size=BATCH)
            progress(total, total)
            audit.record(
                "import.cadres",
                by=by,
                created=len(new),
                updated=len(updated),
                communities_created=len(created),
            )


def known_cadres(numbers: list[str], *, related: tuple[str, ...] = ()) -> dict[str, Cadre]:
    """The registered cadres among these ID numbers, by number, in queries of ``BATCH``."""
    key = settings.LUODI_ID_DIGEST_KEY
    by_digest = {personal.id_number_digest(n, key): n for n in numbers}
    digests = list(by_digest)
    found: dict[str, Cadre] = {}
    for start in range(0, len(digests), BATCH):
        batch = Cadre.objects.filter(id_number_digest__in=digests[start : start + BATCH])
        for cadre in batch.select_related(*related):
            found[by_digest[cadre.id_number_digest]] = cadre
    return found


def trainee_columns(note: Promise) -> tuple[Column, Column]:
    """A registered cadre named in a list of trainees: their ID number, and their name."""
    return (
        Column(
            "id_number",
            gettext_lazy("ID number"),
            H["id_number"],
            True,
            note,
            "210202198503150027",
            personal=True,
        ),
        Column(
            "name",
            gettext_lazy("full name"),
            H["name"],
            note=gettext_lazy("Optional; checked against the cadre's record."),
            example="张丽",
        ),
    )


def check_trainee(row: Row, cadre: Cadre | None) -> None:
    """Report a row whose ID number names no registered cadre, or whose name is another's."""
    if cadre is None:
        row.problem("id_number", _("no cadre has this ID number: import the cadre first"))
        return
    name = clean_text(row.raw("name")).replace(" ", "")
    if name and name != cadre.name:
        row.problem("name", _("the cadre with this ID number is %s") % cadre.name)


def _community_id(community: int | NewCommunity, created: dict[int, Community]) -> int:
    if isinstance(community, NewCommunity):
        return created[id(community)].pk
    return community


register(CadreImport())
