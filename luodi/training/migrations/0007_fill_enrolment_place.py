from fractions import Fraction

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    """Existing enrolments take the cadre's present place (the best record there is); leave
    limits become exact fractions (0.143 was meant as 1/7)."""
    Enrolment = apps.get_model("training", "Enrolment")
    Cadre = apps.get_model("cadres", "Cadre")
    cadre = Cadre.objects.filter(pk=OuterRef("cadre_id"))
    Enrolment.objects.update(
        community_id=Subquery(cadre.values("community_id")),
        city_id=Subquery(cadre.values("community__city_id")),
    )
    ClassType = apps.get_model("training", "ClassType")
    for class_type in ClassType.objects.all():
        fraction = Fraction(str(class_type.max_leave_fraction)).limit_denominator(20)
        class_type.max_leave_numerator = fraction.numerator
        class_type.max_leave_denominator = fraction.denominator
        class_type.save(update_fields=["max_leave_numerator", "max_leave_denominator"])


def unfill(apps, schema_editor):
    ClassType = apps.get_model("training", "ClassType")
    for class_type in ClassType.objects.all():
        value = class_type.max_leave_numerator / class_type.max_leave_denominator
        class_type.max_leave_fraction = round(value, 3)
        class_type.save(update_fields=["max_leave_fraction"])


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0002_wording"),
        ("training", "0006_enrolment_place_and_leave_fraction"),
    ]

    operations = [migrations.RunPython(fill, unfill)]
