"""The posts of community cadres: what a cadre holds (``cadres.Cadre.post``), and what the
college's hours targets and a class type's target posts are set per."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Post(models.TextChoices):
    SECRETARY = "secretary", _("Party secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy party secretary")
    DIRECTOR = "director", _("Residents' committee director")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    GRID_WORKER = "grid_worker", _("Grid worker")
    OTHER = "other", _("Other community worker")
