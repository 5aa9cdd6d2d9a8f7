"""Abstract bases shared by every app (no tables of their own)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from luodi.lib import lookups  # noqa: F401 # registers ``__in`` for integer columns


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
