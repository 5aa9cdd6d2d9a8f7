"""A trainee's phone stays signed in for their class (the policy: ``accounts.sessions``).

At login, a trainee-only account enrolled in a class that runs today, or starts within
``LUODI_TRAINEE_SESSION_LEAD_DAYS``, keeps its session until the end of that class's last day
(the latest such class's, at most ``LUODI_TRAINEE_SESSION_MAX_DAYS``): on the mornings of the
class, scanning the code checks the trainee in without a password. Connected to Django's
``user_logged_in`` in ``CheckinConfig.ready``, after the accounts app's own receiver."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models import Max
from django.dispatch import receiver
from django.utils import timezone

from luodi.accounts import sessions
from luodi.training.models import Enrolment
from luodi.training.models.statuses import ROSTER_STATUSES


def class_end(cadre_id: int, today: date) -> datetime | None:
    """When the cadre's current class ends: midnight after the last day of the latest class on
    whose roster they are that runs today or starts within the lead days; None without one."""
    last_day = Enrolment.objects.filter(
        cadre_id=cadre_id,
        status__in=ROSTER_STATUSES,
        training_class__start_date__lte=today
        + timedelta(days=settings.LUODI_TRAINEE_SESSION_LEAD_DAYS),
        training_class__end_date__gte=today,
    ).aggregate(last=Max("training_class__end_date"))["last"]
    if last_day is None:
        return None
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


@receiver(user_logged_in, dispatch_uid="luodi.checkin.trainee_session")
def _trainee_logged_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if not (sessions.trainee_only(user) and user.cadre_id):
        return
    until = class_end(user.cadre_id, timezone.localdate())
    if until is not None:
        sessions.sign_in_until(request.session, until)
