"""Demo data: the two reference programmes with people of every role.

Idempotent: running it again updates nothing that exists and adds what is missing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from platform_core.demo_directory import seed_directory
from platform_core.demo_verification import seed_verification
from shared_apps.accounts import services as services_accounts
from shared_apps.accounts.models import Membership, User
from shared_apps.billing.demo import seed_billing
from tenant_apps.analytics.demo import seed_analytics
from tenant_apps.catalogue.demo import seed_catalogue
from tenant_apps.inquiries.demo import seed_inquiries
from tenant_apps.promotion.demo import seed_promotion
from tenants import catalog, services
from tenants.models import Tenant

DEMO_PASSWORD = "demo-comptoir-2026"

PROGRAMMES = {
    "francophonie": {
        "name": "Francophonie Export — PME à l'international",
        "theme": "francophonie",
        "default_language": "fr",
        "languages": ("fr", "en"),
        "modules": ("directory", "verification", "messaging", "assessment", "resources", "studies", "events", "surveys", "support"),
        "signup_roles": [catalog.COMPANY_REP, catalog.EXPERT, catalog.GUEST],
        "branding": {"primary_color": "#1f4e8c", "accent_color": "#9a3412", "background_color": "#fffdf8",
                     "text_color": "#2b2118", "heading_font": "serif", "body_font": "humanist"},
        "kpis": [
            {"key": "monthly_active_users", "label": "Utilisateurs actifs par mois", "target": 400, "unit": "membres"},
            {"key": "verified_companies", "label": "Entreprises vérifiées", "target": 150, "unit": "entreprises"},
            {"key": "assessments_completed", "label": "Autodiagnostics réalisés", "target": 200, "unit": "diagnostics"},
        ],
        "people": [
            (catalog.TENANT_ADMIN, "Aminata Diallo", "Organisation internationale de la Francophonie"),
            (catalog.MODERATOR, "Jean-Baptiste Kaboré", "Organisation internationale de la Francophonie"),
            (catalog.COMPANY_REP, "Fatou Ndiaye", "Karité d'Or SARL — Burkina Faso"),
            (catalog.COMPANY_REP, "Youssef Benali", "Atlas Agro — Maroc"),
            (catalog.COMPANY_REP, "Mireille Tremblay", "Fromagerie du Saguenay — Canada (Québec)"),
            (catalog.COMPANY_REP, "Koffi Yao", "Coopérative Cacao d'Abidjan — Côte d'Ivoire"),
            (catalog.COMPANY_REP, "Nadia Trabelsi", "Tunis Textiles — Tunisie"),
            (catalog.COMPANY_REP, "Awa Sow", "Sénégal Fruits Export — Sénégal"),
            (catalog.EXPERT, "Dr Patrice Mbemba", "Cabinet Mbemba Conseil — RD Congo"),
            (catalog.BUYER, "Sophie Lambert", "Importations Lambert — Belgique"),
            (catalog.GUEST, "Lucas Moreau", "Chambre de commerce de Lyon"),
        ],
    },
    "showroom": {
        "name": "Showroom France",
        "theme": "showroom",
        "default_language": "en",
        "languages": ("en", "fr", "es", "de"),
        "modules": ("catalogue", "showroom", "inquiries", "analytics", "billing", "directory", "promotion"),
        "signup_roles": [catalog.BUYER, catalog.COMPANY_REP],
        "branding": {"primary_color": "#002654", "accent_color": "#b3121f", "background_color": "#ffffff",
                     "text_color": "#111827", "heading_font": "geometric", "body_font": "system-ui"},
        "kpis": [
            {"key": "buyer_inquiries", "label": "Buyer inquiries per month", "target": 120, "unit": "inquiries"},
            {"key": "products_online", "label": "Products online", "target": 600, "unit": "products"},
            {"key": "answer_rate", "label": "Inquiries answered within 48 h", "target": 90, "unit": "%"},
        ],
        "people": [
            (catalog.TENANT_ADMIN, "Claire Dubois", "Business France"),
            (catalog.MODERATOR, "Thomas Girard", "Business France"),
            (catalog.COMPANY_REP, "Marc Lefèvre", "Usinage Précis Lyonnais"),
            (catalog.COMPANY_REP, "Isabelle Roux", "AgriTech Beauce"),
            (catalog.COMPANY_REP, "Hugo Marchand", "MedSensor Grenoble"),
            (catalog.COMPANY_REP, "Élodie Garnier", "Aéro Composites Toulouse"),
            (catalog.EXPERT, "Philippe Bernard", "Export Advisory Nantes"),
            (catalog.BUYER, "Ahmed Al-Mansouri", "Gulf Industrial Trading — United Arab Emirates"),
            (catalog.BUYER, "Ingrid Johansson", "Nordic Medical Supply — Sweden"),
            (catalog.GUEST, "Carlos Mendes", "São Paulo Machinery Fair"),
        ],
    },
}

OPERATOR_EMAIL = "operator@comptoir.localhost"
FINANCE_EMAIL = "finance@comptoir.localhost"


def _email(name: str, slug: str) -> str:
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = ".".join(part for part in ascii_name.lower().replace("dr ", "").replace("'", "").split() if part)
    return f"{local}@{slug}.demo"


def demo_accounts() -> list[tuple[str, str, str]]:
    rows = [("localhost", "operator", OPERATOR_EMAIL), ("localhost", "finance staff", FINANCE_EMAIL)]
    for slug, spec in PROGRAMMES.items():
        seen = set()
        for role, name, _org in spec["people"]:
            if role not in seen:
                rows.append((f"{slug}.localhost", role, _email(name, slug)))
                seen.add(role)
    return rows


def _person(email: str, full_name: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name,
                                        email_verified_at=timezone.now(), **extra)
    return user


def _second_factor_by_email(user: User) -> None:
    """Roles that must use MFA get e-mailed codes, readable in the development outbox."""
    from django_otp.plugins.otp_email.models import EmailDevice

    EmailDevice.objects.get_or_create(user=user, name="email", defaults={"confirmed": True})


@transaction.atomic
def seed_demo(*, domain_suffix: str = "localhost") -> list[Tenant]:
    _second_factor_by_email(_person(OPERATOR_EMAIL, "Opératrice Comptoir", is_staff=True))
    _demo_finance_staff()
    tenants = []
    for slug, spec in PROGRAMMES.items():
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            tenant = services.provision_tenant(services.TenantSpec(
                slug=slug, name=spec["name"], domains=[f"{slug}.{domain_suffix}"], theme=spec["theme"],
                default_language=spec["default_language"], languages=spec["languages"], modules=spec["modules"],
            ))
            services.update_configuration(tenant, branding=spec["branding"], kpis=spec["kpis"], signup_roles=spec["signup_roles"])
        people = {}
        for role, name, organisation in spec["people"]:
            user = _person(_email(name, slug), name)
            people[organisation if role == catalog.COMPANY_REP else name] = user
            if role in tenant.mfa_required_roles:
                _second_factor_by_email(user)
            Membership.objects.for_tenant(tenant).get_or_create(
                user=user, tenant=tenant, defaults={"role": role, "organisation": organisation}
            )
        _welcome(tenant)
        with schema_context(tenant.schema_name):
            seed_directory(tenant, slug, people)
            if tenant.has_module("verification"):
                seed_verification(people)
            seed_catalogue(tenant, slug, people)
            seed_promotion(tenant, slug, people)
            seed_billing(tenant, slug, people)
        seed_inquiries(tenant, slug, people)
        # Last: it rolls up every event the other demos recorded.
        with schema_context(tenant.schema_name):
            seed_analytics(tenant)
        tenants.append(tenant)
    return tenants


def _demo_finance_staff() -> None:
    from shared_apps.finance.models import PlatformRole

    user = _person(FINANCE_EMAIL, "Florence Comptable")
    PlatformRole.objects.get_or_create(user=user, role=PlatformRole.Role.FINANCE)
    _second_factor_by_email(user)


def _welcome(tenant: Tenant) -> None:
    from tenant_apps.notifications.models import Notification

    with schema_context(tenant.schema_name):
        if Notification.objects.exists():
            return
    for membership in Membership.objects.for_tenant(tenant).select_related("user"):
        services_accounts.welcome(user=membership.user, tenant=tenant)
