from django.utils.functional import SimpleLazyObject

from luodi.notifications.models import Notification


def unread(request):
    """``notifications_unread``: the logged-in user's unread count for the bell in the header.
    Lazy: the one query runs only when a template shows the bell (not for htmx partials);
    anonymous users get nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "notifications_unread": SimpleLazyObject(
            lambda: Notification.objects.visible_to(user).unread().count()
        )
    }
