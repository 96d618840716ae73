from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.authtoken.models import Token

from exportgov.core.exceptions import ApplicationError

from . import selectors, services
from .forms import InvitationAcceptForm, InvitationForm


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    context = {
        "teams": selectors.team_list_for_user(user=request.user),
        "organisations": selectors.organisation_list_for_user(user=request.user).filter(
            memberships__user=request.user
        ),
        "has_token": Token.objects.filter(user=request.user).exists(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    """Make a new API token (replacing any old one) and show it once."""
    key = services.api_token_create(actor=request.user)
    return render(request, "accounts/api_token.html", {"token": key})


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisation_list_for_user(user=request.user)
    page = Paginator(organisations, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/organisation_list.html", {"page": page})


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    return _organisation_page(request, organisation, InvitationForm())


def _organisation_page(request, organisation, form, status=200) -> HttpResponse:
    can_manage = request.user.has_perm("accounts.manage_members", organisation)
    context = {
        "organisation": organisation,
        "members": selectors.organisation_member_list(organisation=organisation),
        "invitations": selectors.organisation_invitation_list(organisation=organisation)
        if can_manage
        else [],
        "can_manage": can_manage,
        "form": form,
    }
    return render(request, "accounts/organisation_detail.html", context, status=status)


@login_required
@require_POST
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error("email", error.message)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return _organisation_page(request, organisation, form, status=400)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get_for_user(user=request.user, pk=pk)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} was revoked.")
    return redirect("accounts:organisation_detail", pk=invitation.organisation_id)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(user=request.user, pk=pk)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{membership.user} is no longer a member.")
    return redirect("accounts:organisation_detail", pk=membership.organisation_id)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Join an organisation from the emailed link: sign up, or join as the signed-in user."""
    invitation = selectors.invitation_get_by_token(token=token)
    signed_in = request.user.is_authenticated
    form = None if signed_in else InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (signed_in or form.is_valid()):
        details = (
            {}
            if signed_in
            else {
                "username": form.cleaned_data["username"],
                "password": form.cleaned_data["password1"],
                "first_name": form.cleaned_data["first_name"],
                "last_name": form.cleaned_data["last_name"],
            }
        )
        try:
            membership = services.invitation_accept(
                invitation=invitation, actor=request.user, **details
            )
        except PermissionDenied:
            messages.error(request, "This invitation was sent to another email address.")
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            if not signed_in:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {membership.organisation}.")
            return redirect("accounts:organisation_detail", pk=membership.organisation_id)
    context = {"invitation": invitation, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/invitation_accept.html", context, status=status)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation, with the reset written to the audit log."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_record(user=form.user)
        return response
