from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The models the figures (``reports.stats``) count or label: a write to any of them makes a new
# data version (``lib.data_version``), so no cached figure outlives the records it came from.
# Their QuerySets derive from ``CountedQuerySet`` (``test_figures_cache`` checks both).
COUNTED = (
    "training.Enrolment",
    "training.TrainingClass",
    "training.ClassType",
    "training.Session",
    "cadres.Cadre",
    "regions.Region",
    "regions.Community",
    "faculty.Teacher",
    # External hours (the ledger) and the college's cap on them count in hours compliance.
    "training.ExternalTraining",
    "college.CollegeSettings",
    # The staff's to-do list counts the certificates still to issue (``reports.work``).
    "certificates.Certificate",
    # The research summary (``research.selectors.summary``), with its links to teachers.
    "research.Project",
    "research.Publication",
    "research.AdvisoryWork",
)


class ReportsConfig(AppConfig):
    name = "luodi.reports"
    verbose_name = _("Reports")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from luodi.lib import data_version
        from luodi.lib.data_version import (
            counted_links_receiver,
            counted_write_receiver,
            migrated_receiver,
        )
        from luodi.reports import jobs  # noqa: F401  (registers its document jobs)
        from luodi.reports.warming import schedule

        for label in COUNTED:
            model = apps.get_model(label)
            post_save.connect(counted_write_receiver, sender=model, dispatch_uid=f"figures:{label}")
            post_delete.connect(
                counted_write_receiver, sender=model, dispatch_uid=f"figures-del:{label}"
            )
            # A link added or removed (a project's members, a class's target needs) saves
            # neither end.
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through
                m2m_changed.connect(
                    counted_links_receiver,
                    sender=through,
                    dispatch_uid=f"figures-m2m:{label}.{m2m.name}",
                )
        # ``flush`` (tests, restores) empties the tables but not the cache table.
        post_migrate.connect(migrated_receiver, dispatch_uid="figures:migrate")
        if schedule not in data_version.after_change:
            data_version.after_change.append(schedule)
