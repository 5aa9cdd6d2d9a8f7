"""Existing cases get their search words, and those promoted from an application story say so."""

from django.db import migrations

from luodi.lib import segmenting


def forwards(apps, schema_editor):
    TeachingCase = apps.get_model("curriculum", "TeachingCase")
    ApplicationStory = apps.get_model("training", "ApplicationStory")
    promoted = set(
        ApplicationStory.objects.filter(case__isnull=False).values_list("case_id", flat=True)
    )
    for case in TeachingCase.objects.all():
        texts = [case.title, case.title, case.place, case.summary, case.full_text, case.lessons]
        case.search_text = segmenting.search_column(texts)
        case.source = "story" if case.pk in promoted else "teacher"
        case.save(update_fields=["search_text", "source"])


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0003_case_library_text_source_topics"),
        ("training", "0014_reflection_attachment_outstanding_and_application_stories"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
