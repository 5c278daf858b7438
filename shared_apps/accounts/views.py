from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shared_apps.accounts import forms, selectors, services
from shared_apps.accounts.permissions import permission_required
from shared_apps.mfa.views import SecondFactorSignInMixin
from tenants import catalog


def _programme(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_public:
        raise Http404
    return tenant


class SignInView(SecondFactorSignInMixin, auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        if self.request.tenant.is_public:
            from shared_apps.finance.roles import is_finance_staff

            if self.request.user.is_staff:
                return resolve_url("operators:console")
            return resolve_url("finance:overview" if is_finance_staff(self.request.user) else "landing")
        return super().get_default_redirect_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # LoginView sets site_name to the request's host; pages show the programme's name.
        context.pop("site", None)
        context.pop("site_name", None)
        return context


class SignOutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
def sign_up(request):
    tenant = _programme(request)
    if request.user.is_authenticated:
        return redirect("accounts:join")
    form = forms.SignUpForm(request.POST or None, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sign_up(
                tenant=tenant, email=data["email"], full_name=data["full_name"], password=data["password1"],
                role=data["role"], organisation=data["organisation"], language=request.LANGUAGE_CODE,
            )
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            request.session["signed_up_email"] = data["email"]
            return redirect("accounts:sign-up-done")
    return render(request, "accounts/sign_up.html", {"form": form}, status=400 if form.errors else 200)


def sign_up_done(request):
    _programme(request)
    return render(request, "accounts/sign_up_done.html", {"email": request.session.get("signed_up_email", "")})


def confirm_email(request, token):
    tenant = _programme(request)
    try:
        user, newly_confirmed = services.confirm_email(token)
    except services.AccountError as error:
        return render(request, "accounts/confirm_failed.html", {"error": str(error), "form": forms.ResendConfirmationForm()}, status=400)
    if newly_confirmed and services.Membership.objects.for_tenant(tenant).filter(user=user).exists():
        services.welcome(user=user, tenant=tenant)
    messages.success(request, _("Your e-mail address is confirmed. You can sign in now."))
    return redirect("accounts:sign-in")


@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    tenant = _programme(request)
    form = forms.ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.resend_confirmation(tenant=tenant, email=form.cleaned_data["email"])
        messages.info(request, _("If this address has an unconfirmed account, a new link is on its way."))
        return redirect("accounts:sign-in")
    return render(request, "accounts/resend_confirmation.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    tenant = _programme(request)
    if request.role != catalog.VISITOR:
        return redirect("home:dashboard")
    form = forms.JoinForm(request.POST or None, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_tenant(user=request.user, tenant=tenant, role=form.cleaned_data["role"],
                                 organisation=form.cleaned_data["organisation"])
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            request.session.cycle_key()
            messages.success(request, _("Welcome to %(programme)s.") % {"programme": tenant.name})
            return redirect("home:dashboard")
    return render(request, "accounts/join.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    tenant = _programme(request)
    try:
        invitation = services.open_invitation(tenant=tenant, token=token)
    except services.AccountError as error:
        return render(request, "accounts/invitation_invalid.html", {"error": str(error)}, status=400)
    user = request.user if request.user.is_authenticated else None
    has_account = user is not None or services.User.objects.filter(email__iexact=invitation.email).exists()
    form = None if has_account else forms.AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (has_account or form.is_valid()):
        if has_account and user is None:
            return redirect(f"{_sign_in_url()}?next={request.path}")
        try:
            membership = services.accept_invitation(
                invitation=invitation, user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except services.AccountError as error:
            messages.error(request, str(error))
        else:
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                request.session.cycle_key()
            messages.success(request, _("Welcome to %(programme)s.") % {"programme": tenant.name})
            return redirect("home:dashboard")
    context = {"invitation": invitation, "form": form, "has_account": has_account}
    return render(request, "accounts/invitation_accept.html", context, status=400 if form is not None and form.errors else 200)


def _sign_in_url():
    from django.urls import reverse

    return reverse("accounts:sign-in")


@permission_required("members.view")
def member_list(request):
    tenant = request.tenant
    page = Paginator(selectors.members_of(tenant), 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "invitations": selectors.open_invitations_of(tenant) if "members.invite" in request.permissions else [],
        "invite_form": forms.InviteForm(),
        "role_choices": catalog.ROLE_CHOICES,
    }
    return render(request, "accounts/member_list.html", context)


@permission_required("members.invite")
@require_http_methods(["GET", "POST"])
def invite(request):
    tenant = request.tenant
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(tenant=tenant, inviter=request.user, **form.cleaned_data)
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("accounts:member-list")
    return render(request, "accounts/invite.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("members.manage")
@require_POST
def change_member_role(request, pk):
    membership = selectors.membership_in(request.tenant, pk)
    if membership is None:
        raise Http404
    form = forms.MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed roles."))
        return redirect("accounts:member-list")
    try:
        services.change_role(tenant=request.tenant, actor=request.user, membership=membership, role=form.cleaned_data["role"])
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is now: %(role)s.") % {"name": membership.user, "role": membership.get_role_display()})
    return redirect("accounts:member-list")


@permission_required("members.manage")
@require_POST
def remove_member(request, pk):
    membership = selectors.membership_in(request.tenant, pk)
    if membership is None:
        raise Http404
    if membership.user_id == request.user.pk:
        raise PermissionDenied
    try:
        services.remove_member(tenant=request.tenant, actor=request.user, membership=membership)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s no longer belongs to this programme.") % {"name": membership.user})
    return redirect("accounts:member-list")
