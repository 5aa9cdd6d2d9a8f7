"""A trainee's first login with a texted code (``checkin.first_login``): two public pages.

The first takes the ID number or mobile number and always answers the same way; which cadre
was asked for stays in the browser's session, never in the address. The second takes the
code and the trainee's new password, logs them in and goes on to ``next``: a check-in
scanned before logging in completes there (``views.scanned``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from luodi.accounts.access import public
from luodi.checkin import first_login
from luodi.checkin.forms import FirstLoginForm, IdentifierForm
from luodi.lib.client_ip import client_ip
from luodi.lib.params import parse_next

PENDING = "luodi_first_login"  # the session key: {"cadre": id or None, "at": iso time}
BACKEND = "luodi.accounts.identifiers.IdentifierBackend"


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@public
@never_cache
def code_request(request):
    next_url = parse_next(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    form = IdentifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            sent = first_login.login_code_send(
                identifier=form.cleaned_data["identifier"], client=client_ip(request), now=now
            )
        except first_login.CodeRefused as exc:
            form.add_error(None, exc)
        else:
            request.session[PENDING] = {"cadre": sent.cadre_id, "at": now.isoformat()}
            return redirect(_with_next("first-login:verify", next_url))
    return render(request, "checkin/code_request.html", {"form": form, "next": next_url})


@public
@never_cache
def code_verify(request):
    next_url = parse_next(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    pending = request.session.get(PENDING)
    if not pending:
        return redirect(_with_next("first-login:request", next_url))
    form = FirstLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = first_login.first_login_complete(
                cadre_id=pending.get("cadre"),
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password1"],
                now=timezone.now(),
            )
        except first_login.CodeRefused as exc:
            form.add_error("code", exc)
        except ValidationError as exc:  # the password rules
            form.add_error("password1", exc)
        else:
            request.session.pop(PENDING, None)
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                _(
                    "Welcome, %(name)s. Next time log in with your ID number or mobile number "
                    "and this password."
                )
                % {"name": user.first_name or user.username},
            )
            return HttpResponseRedirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "minutes": settings.LUODI_LOGIN_CODE_MINUTES,
        "password_help": password_validators_help_texts(),
    }
    return render(request, "checkin/code_verify.html", context)
