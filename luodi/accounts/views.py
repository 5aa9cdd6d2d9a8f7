from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from luodi.accounts import second_factor, tokens
from luodi.accounts.access import Perm, login_only, public, requires
from luodi.accounts.forms import ApiTokenForm, CodeForm
from luodi.accounts.models import ApiToken
from luodi.lib import audit
from luodi.lib.params import parse_next

login = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = login_only(auth_views.LogoutView.as_view())


class _PasswordChangeView(auth_views.PasswordChangeView):
    """Any logged-in user changes their own password (old one first, then the password rules);
    the session stays valid (Django updates its auth hash) and the change is audited."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record("auth.password_changed", by=self.request.user, obj=self.request.user)
        return response


password_change = login_only(_PasswordChangeView.as_view())
password_change_done = login_only(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


def _second_factor_user(request):
    if not second_factor.may_enrol(request.user):
        raise PermissionDenied  # the second factor is for administrators and staff
    return request.user


@login_only
def second_factor_verify(request):
    """After the password: the code from the user's authenticator app."""
    user, next_url = _second_factor_user(request), parse_next(request)
    if user.is_verified():
        return redirect(next_url)
    if second_factor.confirmed_device(user) is None:
        enrol = reverse("accounts:second-factor-enrol")
        return redirect(f"{enrol}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if second_factor.verify(request=request, user=user, token=form.cleaned_data["token"]):
            return redirect(next_url)
        form.add_error("token", WRONG_CODE)
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url})


@login_only
def second_factor_enrol(request):
    """Enrol an authenticator app: its secret (QR code and text), shown until the first code
    confirms it; once enrolled, the page shows no secret."""
    user, next_url = _second_factor_user(request), parse_next(request)
    if second_factor.confirmed_device(user) is not None:
        return render(request, "accounts/second_factor_enrol.html", {"enrolled": True})
    device = second_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if second_factor.enrol(request=request, user=user, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-step login is on for your account."))
            return redirect(next_url)
        form.add_error("token", WRONG_CODE)
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": second_factor.qr_svg(device),
        "secret": second_factor.secret_text(device),
        "required": settings.LUODI_REQUIRE_2FA,
    }
    return render(request, "accounts/second_factor_enrol.html", context)


WRONG_CODE = _(
    "That code is not right or has expired. Enter the code your app shows now; after several "
    "wrong codes, wait a little before trying again."
)


@requires(Perm.USE_API, scope=ApiToken.objects.visible_to)
@never_cache
def api_tokens(request):
    """The user's own API tokens, and a form to create one; a new key is shown here once."""
    form = ApiTokenForm(request.POST or None, user=request.user)
    created, key = None, None
    if request.method == "POST" and form.is_valid():
        try:
            created, key = tokens.api_token_create(by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = ApiTokenForm(user=request.user)
    now = timezone.now()
    mine = list(ApiToken.objects.visible_to(request.user).select_related("city"))
    for token in mine:
        token.state = token.status(now)
    context = {"form": form, "tokens": mine, "created": created, "key": key}
    return render(request, "accounts/api_tokens.html", context)


@requires(Perm.USE_API, scope=ApiToken.objects.visible_to)
@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    if tokens.api_token_revoke(token=token, by=request.user):
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    else:
        messages.info(
            request, _("The token “%(name)s” was already revoked.") % {"name": token.name}
        )
    return redirect("accounts:api-tokens")
