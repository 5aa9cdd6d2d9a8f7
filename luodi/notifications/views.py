"""A user's own notifications: the list, opening one, marking all read."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luodi.accounts.access import signed_in
from luodi.lib.paging import paginate, query_without_page
from luodi.notifications import services
from luodi.notifications.models import Notification

PAGE_SIZE = 20


@signed_in(scope=Notification.objects.visible_to)
@require_GET
def notification_list(request):
    """Unread first, newest first; ``?show=unread`` leaves out those already read."""
    mine = Notification.objects.visible_to(request.user)
    show = "unread" if request.GET.get("show") == "unread" else "all"
    shown = mine.unread() if show == "unread" else mine
    page = paginate(request, shown.unread_first(), per_page=PAGE_SIZE)
    context = {"page": page, "show": show, "query": query_without_page(request)}
    return render(request, "notifications/list.html", context)


@signed_in(scope=Notification.objects.visible_to)
@require_POST
def notification_open(request, pk: int):
    """Mark the notification read and follow its link."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    return redirect(notification.target_url)


@signed_in(scope=Notification.objects.visible_to)
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(by=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:list")
