"""Each teacher's political review (``review_status``/``reviewed_on``) becomes a review row,
a pass valid ``LUODI_REVIEW_VALID_YEARS`` from its date; each title gets a first guess of its
band; the honorarium table gets its default rates (yuan per teaching hour, in the style of the
national rules for training costs: more for senior titles, more for outside lecturers)."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import migrations

# (kind, band) → yuan per teaching hour. Staff change them on the admin site.
DEFAULT_RATES = {
    ("part_time", "senior"): Decimal(1000),
    ("part_time", "associate"): Decimal(500),
    ("part_time", "intermediate"): Decimal(300),
    ("part_time", "other"): Decimal(200),
    ("full_time", "senior"): Decimal(300),
    ("full_time", "associate"): Decimal(200),
    ("full_time", "intermediate"): Decimal(150),
    ("full_time", "other"): Decimal(100),
}


def _valid_until(day, years):
    try:
        end = day.replace(year=day.year + years)
    except ValueError:
        end = day.replace(year=day.year + years, day=28)
    return end - dt.timedelta(days=1)


def _band(title):
    # The same guess as ``TitleBand.for_title`` (copied: a migration keeps its own code).
    title = title or ""
    if "副" in title and any(w in title for w in ("教授", "研究员", "高级")):
        return "associate"
    if any(w in title for w in ("教授", "研究员", "正高")):
        return "senior"
    if any(w in title for w in ("讲师", "中级", "助理研究员")):
        return "intermediate"
    return "other"


def forward(apps, schema_editor):
    alias = schema_editor.connection.alias
    Teacher = apps.get_model("faculty", "Teacher")
    PoliticalReview = apps.get_model("faculty", "PoliticalReview")
    HonorariumRate = apps.get_model("faculty", "HonorariumRate")
    years = settings.LUODI_REVIEW_VALID_YEARS
    reviews = []
    for teacher in Teacher.objects.using(alias).only("pk", "title", "review_status", "reviewed_on"):
        teacher.title_band = _band(teacher.title)
        teacher.save(update_fields=["title_band"])
        if teacher.review_status in ("passed", "failed") and teacher.reviewed_on:
            day = teacher.reviewed_on
            passed = teacher.review_status == "passed"
            reviews.append(
                PoliticalReview(
                    teacher_id=teacher.pk,
                    date=day,
                    result=teacher.review_status,
                    valid_until=_valid_until(day, years) if passed else day,
                    note="迁移自原政审记录",
                )
            )
    PoliticalReview.objects.using(alias).bulk_create(reviews, batch_size=500)
    HonorariumRate.objects.using(alias).bulk_create(
        [
            HonorariumRate(kind=kind, title_band=band, per_hour=rate)
            for (kind, band), rate in DEFAULT_RATES.items()
        ],
        ignore_conflicts=True,
    )


def backward(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("faculty", "PoliticalReview").objects.using(alias).all().delete()
    apps.get_model("faculty", "HonorariumRate").objects.using(alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [("faculty", "0005_reviews_availability_bank_rates")]

    operations = [migrations.RunPython(forward, backward)]
