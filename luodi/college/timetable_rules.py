"""The soft rules of automatic timetabling and their national weights (how much a departure
from each costs); a college may weigh them otherwise on its settings page."""

from django.utils.translation import gettext_lazy as _

# key: (national weight, what a unit of it is)
SOFT_RULES = {
    "opening": (20, _("Opening session (开班) late, per slot")),
    "closing": (20, _("Closing session (结业) early, per slot")),
    "theory_first": (6, _("A practice session before the lecture of its category")),
    "mixed_methods": (4, _("Each lecture beyond the first on a day of lectures only")),
    "field_mid": (6, _("A field visit on the first or the last day")),
    "evening": (3, _("Each evening session")),
    "teacher_days": (2, _("Each day a part-time teacher comes")),
    "rating": (1, _("Each 10 points a chosen teacher's rating is below 100")),
    "keep": (2, _("Re-solving: each session moved from where it is")),
}
NATIONAL_WEIGHTS = {key: weight for key, (weight, _label) in SOFT_RULES.items()}
