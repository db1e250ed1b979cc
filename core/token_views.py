"""The person's API tokens page: list them, make one (its key shown once), revoke one."""

from collections.abc import Callable
from typing import cast

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core import tokens
from core.exceptions import ApplicationError
from core.forms import TokenCreateForm
from core.permissions import signed_in_user

View = Callable[..., HttpResponse]
# allauth is untyped; its decorator returns the view with the same signature.
password_asked_again = cast(Callable[[View], View], reauthentication_required(allow_get=True))


# Making a token hands out a key that outlives the session, so a session alone (a borrowed
# laptop, a stolen cookie) is not enough: the password is asked again unless given just now.
@login_required
@password_asked_again
@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = TokenCreateForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            made = tokens.token_create(
                user=user, name=form.cleaned_data["name"], expires_in_days=form.cleaned_data["expires_in_days"]
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            form = TokenCreateForm()
    context = {"tokens": tokens.tokens_for(user=user), "form": form, "made": made, "now": timezone.now()}
    return render(request, "core/api_tokens.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = signed_in_user(request)
    token = tokens.tokens_for(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    if request.method == "POST":
        tokens.token_revoke(user=user, token_id=token.pk)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("api-tokens-page")
    return render(request, "core/api_token_revoke.html", {"token": token})
