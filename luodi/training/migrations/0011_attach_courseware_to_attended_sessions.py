"""Courseware uploaded for a course becomes courseware of the sessions of that course that
trainees attended (present or late) so far: everyone who could download a file before still
can, from the class they attended it in, and classes yet to come no longer inherit it. The
first such session keeps the row (its download link stays the same); each further session gets
a copy pointing at the same stored file. Material of a course nobody attended stays without a
session (only the admin reaches it, as before nobody but the admin did)."""

from django.db import migrations

ATTENDED = ("present", "late")


def attach(apps, schema_editor):
    Courseware = apps.get_model("training", "Courseware")
    Session = apps.get_model("training", "Session")
    for item in Courseware.objects.filter(session__isnull=True).order_by("pk"):
        sessions = list(
            Session.objects.filter(course_id=item.course_id, attendances__status__in=ATTENDED)
            .distinct()
            .order_by("date", "start_time", "pk")
            .values_list("pk", flat=True)
        )
        if not sessions:
            continue
        first, *others = sessions
        Courseware.objects.filter(pk=item.pk).update(session_id=first)
        Courseware.objects.bulk_create(
            Courseware(
                session_id=pk,
                course_id=item.course_id,
                title=item.title,
                file=item.file.name,
                uploaded_by_id=item.uploaded_by_id,
            )
            for pk in others
        )


def detach(apps, schema_editor):
    """Back to one row per file, for its course."""
    Courseware = apps.get_model("training", "Courseware")
    seen = set()
    for item in Courseware.objects.order_by("pk"):
        key = (item.course_id, item.file.name)
        if key in seen:
            item.delete()
        else:
            seen.add(key)
    Courseware.objects.update(session=None)


class Migration(migrations.Migration):
    dependencies = [("training", "0010_courseware_belongs_to_a_session")]

    operations = [migrations.RunPython(attach, detach)]
