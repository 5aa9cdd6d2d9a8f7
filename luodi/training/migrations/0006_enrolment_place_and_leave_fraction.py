import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Schema, step 1: where a cadre was at nomination, and the leave limit as a fraction."""

    dependencies = [
        ("regions", "0002_wording"),
        ("training", "0005_wording"),
    ]

    operations = [
        migrations.AddField(
            model_name="classtype",
            name="max_leave_numerator",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="Leave beyond this share of the class's hours means withdrawal (1 of 7).",
                verbose_name="maximum leave: numerator",
            ),
        ),
        migrations.AddField(
            model_name="classtype",
            name="max_leave_denominator",
            field=models.PositiveSmallIntegerField(
                default=7, verbose_name="maximum leave: denominator"
            ),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="city",
            field=models.ForeignKey(
                null=True,
                limit_choices_to={"level": "city"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="city at nomination",
            ),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="community",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="enrolments",
                to="regions.community",
                verbose_name="community at nomination",
            ),
        ),
    ]
