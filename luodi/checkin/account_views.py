"""A class's trainee accounts, for its head teacher and academic staff: who can log in yet,
and the bulk actions (make the accounts, reset, deactivate, activate). No password is ever
shown or sent: a trainee sets their own after a texted code (``checkin.first_login``)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from luodi.accounts import trainee_accounts as accounts
from luodi.accounts.access import Perm, requires
from luodi.accounts.models import User
from luodi.lib import qr
from luodi.lib.confirm import confirmed, preview
from luodi.lib.params import parse_id
from luodi.training.models import Enrolment
from luodi.training.policies import class_for, may_run_class


def _roster(training_class):
    return list(
        Enrolment.objects.filter(training_class=training_class)
        .on_roster()
        .select_related("cadre__user", "cadre__community")
        .order_by("cadre__name_pinyin", "pk")
    )


def _user_of(enrolment) -> User | None:
    try:
        return enrolment.cadre.user
    except User.DoesNotExist:
        return None


@requires(Perm.RUN_CLASSES, scope=may_run_class)
def class_accounts(request, pk: int):
    training_class = class_for(request.user, pk, may_run_class)
    rows = []
    for enrolment in _roster(training_class):
        user = _user_of(enrolment)
        state = accounts.state_of(user)
        rows.append(
            {
                "enrolment": enrolment,
                "user": user,
                "state": state,
                "state_label": accounts.STATE_LABELS[state],
                "has_phone": bool(enrolment.cadre.phone),
            }
        )
    login_url = settings.LUODI_PUBLIC_URL.rstrip("/") + reverse("first-login:request")
    context = {
        "class": training_class,
        "rows": rows,
        "counts": [
            (state, accounts.STATE_LABELS[state], n)
            for state in accounts.AccountState
            if (n := sum(r["state"] == state for r in rows))
        ],
        "no_phone": sum(not r["has_phone"] for r in rows),
        "login_url": login_url,
        "login_qr": qr.qr_svg(login_url, title=_("Log in with a texted code")),
    }
    return render(request, "checkin/class_accounts.html", context)


def _confirm(request, training_class, action: str, picked):
    names = [e.cadre.name for e, _u in picked]
    if action == "reset":
        title = _("Reset these trainees' accounts?")
        note = _(
            "Their passwords stop working and they are logged out; each logs in again with a "
            "texted code."
        )
        button = _("Reset")
    else:
        title = _("Deactivate these trainees' accounts?")
        note = _("They cannot log in at all until an account is activated again.")
        button = _("Deactivate")
    back = reverse("checkin:class-accounts", args=[training_class.pk])
    return preview(
        request,
        title=title,
        action=reverse("checkin:class-accounts-action", args=[training_class.pk]),
        back=back,
        button=button,
        changes=[
            ngettext("%(n)s trainee: %(names)s", "%(n)s trainees: %(names)s", len(names))
            % {"n": len(names), "names": pgettext("separates names in a list", ", ").join(names)}
        ],
        notes=[note],
        fields={"action": action, "enrolments": ",".join(str(e.pk) for e, _u in picked)},
    )


@requires(Perm.RUN_CLASSES, scope=may_run_class)
@require_POST
def class_accounts_action(request, pk: int):
    training_class = class_for(request.user, pk, may_run_class)
    action = request.POST.get("action")
    roster = _roster(training_class)
    if action == "create":
        made = accounts.create_trainee_accounts([e.cadre for e in roster], by=request.user)
        messages.success(
            request,
            ngettext("%(n)s account made.", "%(n)s accounts made.", len(made)) % {"n": len(made)},
        )
        return redirect("checkin:class-accounts", pk=training_class.pk)
    # Ticked boxes, or (from the confirmation page) the same choice as one comma-separated field.
    given = request.POST.getlist("enrolment") + request.POST.get("enrolments", "").split(",")
    chosen = {parse_id(v) for v in given} - {None}
    picked = [(e, u) for e in roster if e.pk in chosen and (u := _user_of(e)) is not None]
    users = [u for _e, u in picked]
    if action not in {"reset", "deactivate", "activate"} or not users:
        messages.error(request, _("Choose trainees who have an account, then an action."))
        return redirect("checkin:class-accounts", pk=training_class.pk)
    if action in {"reset", "deactivate"} and not confirmed(request):
        return _confirm(request, training_class, action, picked)
    if action == "reset":
        n = accounts.reset_trainee_accounts(users, by=request.user)
        text = ngettext(
            "%(n)s account reset: the trainee logs in with a new texted code.",
            "%(n)s accounts reset: the trainees log in with a new texted code.",
            n,
        )
    else:
        active = action == "activate"
        n = accounts.set_trainee_accounts_active(users, active=active, by=request.user)
        text = (
            ngettext("%(n)s account activated.", "%(n)s accounts activated.", n)
            if active
            else ngettext("%(n)s account deactivated.", "%(n)s accounts deactivated.", n)
        )
    messages.success(request, text % {"n": n})
    return redirect("checkin:class-accounts", pk=training_class.pk)
