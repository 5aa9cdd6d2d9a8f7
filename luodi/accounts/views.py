from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from luodi.accounts import tokens
from luodi.accounts.access import Perm, login_only, public, requires
from luodi.accounts.forms import ApiTokenForm
from luodi.accounts.models import ApiToken

login = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = login_only(auth_views.LogoutView.as_view())


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
