import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Schema, step 2: the place is required, and the decimal leave limit goes."""

    dependencies = [
        ("training", "0007_fill_enrolment_place"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="classtype",
            name="classtype_leave_fraction_0_1",
        ),
        migrations.RemoveField(
            model_name="classtype",
            name="max_leave_fraction",
        ),
        migrations.AddConstraint(
            model_name="classtype",
            constraint=models.CheckConstraint(
                condition=models.Q(("max_leave_denominator__gt", 0))
                & models.Q(("max_leave_numerator__lte", models.F("max_leave_denominator"))),
                name="classtype_leave_fraction_0_1",
                violation_error_message="The leave limit is a fraction between 0 and 1.",
            ),
        ),
        migrations.AlterField(
            model_name="enrolment",
            name="city",
            field=models.ForeignKey(
                limit_choices_to={"level": "city"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="city at nomination",
            ),
        ),
        migrations.AlterField(
            model_name="enrolment",
            name="community",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="enrolments",
                to="regions.community",
                verbose_name="community at nomination",
            ),
        ),
        migrations.AddIndex(
            model_name="enrolment",
            index=models.Index(fields=["city", "status"], name="training_en_city_id_84ec5e_idx"),
        ),
    ]
