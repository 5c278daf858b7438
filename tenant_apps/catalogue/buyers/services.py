"""Buyers: registration with their company details, their profile, and what they save."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts import services as account_services
from shared_apps.accounts.permissions import can, current_tenant, role_in
from tenant_apps.catalogue.models import BuyerProfile, Product, SavedCompany, SavedProduct
from tenant_apps.directory.models import Company
from tenants import catalog

PROFILE_FIELDS = ("company_name", "country", "sector", "job_role", "job_title")


class BuyerError(Exception):
    """A buyer action the rules refuse; the message is meant for the person who tried."""


def needs_profile(user, tenant) -> bool:
    """A buyer who joined without their company details (general sign-up, or from another programme)."""
    return (
        tenant is not None and user.is_authenticated and role_in(user, tenant) == catalog.BUYER
        and not BuyerProfile.objects.filter(user=user).exists()
    )


def _apply(profile: BuyerProfile, *, interests, opted_in_marketing: bool, **values) -> BuyerProfile:
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(profile, name, (values[name] or "").strip() if isinstance(values[name], str) else values[name])
    if opted_in_marketing and not profile.opted_in_marketing:
        profile.marketing_opt_in_at = timezone.now()
    elif not opted_in_marketing:
        profile.marketing_opt_in_at = None
    profile.opted_in_marketing = opted_in_marketing
    profile.full_clean(exclude=["user"])
    profile.save()
    if interests is not None:
        profile.interests.set(interests)
    return profile


@transaction.atomic
def register_buyer(*, tenant, email: str, full_name: str, password: str, language: str = "", interests=(),
                   opted_in_marketing: bool = False, **profile_values):
    """Sign a professional buyer up (confirmation e-mail included) with their company details.

    Returns the new user, or None when the address already has an account: as with the
    general sign-up, that person is e-mailed and the page looks the same.
    """
    if catalog.BUYER not in tenant.signup_roles:
        raise BuyerError(_("Buyers cannot register themselves in this programme."))
    try:
        user = account_services.sign_up(
            tenant=tenant, email=email, full_name=full_name, password=password, role=catalog.BUYER,
            organisation=profile_values.get("company_name", ""), language=language,
        )
    except account_services.AccountError as error:
        raise BuyerError(str(error)) from error
    if user is None:
        return None
    _apply(BuyerProfile(user=user), interests=interests, opted_in_marketing=opted_in_marketing, **profile_values)
    return user


@transaction.atomic
def save_profile(*, user, interests=None, opted_in_marketing: bool = False, **values) -> BuyerProfile:
    """Create or update the signed-in buyer's own profile."""
    if role_in(user, current_tenant()) != catalog.BUYER:
        raise BuyerError(_("Only buyers have a buyer profile."))
    profile = BuyerProfile.objects.filter(user=user).first() or BuyerProfile(user=user)
    return _apply(profile, interests=interests, opted_in_marketing=opted_in_marketing, **values)


def _require_member(user) -> None:
    tenant = current_tenant()
    if role_in(user, tenant) == catalog.VISITOR or not can(user, "catalogue.view", tenant=tenant):
        raise BuyerError(_("Sign in as a member of the programme to save items."))


def save_product(*, user, product: Product) -> SavedProduct:
    _require_member(user)
    saved, _created = SavedProduct.objects.get_or_create(user=user, product=product)
    return saved


def forget_product(*, user, product: Product) -> None:
    SavedProduct.objects.filter(user=user, product=product).delete()


def save_company(*, user, company: Company) -> SavedCompany:
    _require_member(user)
    saved, _created = SavedCompany.objects.get_or_create(user=user, company=company)
    return saved


def forget_company(*, user, company: Company) -> None:
    SavedCompany.objects.filter(user=user, company=company).delete()
