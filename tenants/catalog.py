"""What a tenant can switch on: themes, modules, roles, permissions, and their defaults.

The role matrix maps each role to the permissions (``module.action``) it grants;
``can()`` in shared_apps.accounts.permissions is the one place that reads it.
"""

from django.utils.translation import gettext_lazy as _

THEMES = {
    "francophonie": _("Francophonie — warm, editorial"),
    "showroom": _("Showroom — industrial, product-first"),
}

MODULES = {
    "directory": _("Directory"),
    "verification": _("Verified registration"),
    "catalogue": _("Product catalogue"),
    "showroom": _("Showroom page"),
    "inquiries": _("Inquiries and RFQs"),
    "messaging": _("Messaging"),
    "assessment": _("Maturity self-assessment"),
    "resources": _("Resource centre"),
    "studies": _("Market studies"),
    "events": _("Events and webinars"),
    "surveys": _("Surveys"),
    "support": _("Support"),
    "analytics": _("Activity analytics"),
    "billing": _("Paid seller accounts"),
    "promotion": _("Promotion"),
}

# Roles every tenant has; a tenant may rename none of them but grants each what it wants.
TENANT_ADMIN = "tenant_admin"
MODERATOR = "moderator"
COMPANY_REP = "company_rep"
EXPERT = "expert"
BUYER = "buyer"
GUEST = "guest"
# Not a membership: what a signed-out visitor, or a member of another tenant, may do.
VISITOR = "visitor"

ROLES = {
    TENANT_ADMIN: _("Tenant administrator"),
    MODERATOR: _("Moderator"),
    COMPANY_REP: _("Company representative"),
    EXPERT: _("Expert or mentor"),
    BUYER: _("Buyer"),
    GUEST: _("Guest"),
}
ROLE_CHOICES = list(ROLES.items())
MATRIX_ROLES = {**ROLES, VISITOR: _("Visitor (not a member)")}

PERMISSIONS = {
    "home.view": _("See the programme's home page"),
    "dashboard.view": _("See one's own dashboard"),
    "notifications.view": _("Read one's notifications"),
    "members.view": _("See the list of members"),
    "members.invite": _("Invite people and set their role"),
    "members.manage": _("Change or remove memberships"),
    "members.import": _("Import companies and their representatives from a spreadsheet"),
    "settings.view": _("See the programme's settings"),
    "settings.change": _("Change branding, languages, modules, roles and KPIs"),
    "billing.summary": _("See the programme's billing summary: revenue, outstanding and overdue amounts"),
    "directory.view": _("Search the directory"),
    "directory.moderate": _("Moderate directory content"),
    "directory.export": _("Download the directory as a spreadsheet"),
    "profiles.edit_own": _("Create and edit one's own company or expert profile"),
    "verification.review": _("Review verification requests"),
    "verification.request": _("Ask for one's company to be verified"),
    "catalogue.view": _("Browse the catalogue"),
    "catalogue.edit_own": _("Edit one's company's products"),
    "catalogue.moderate": _("Manage verticals, certifications and supported companies; moderate products"),
    "showroom.edit": _("Compose the showroom page"),
    "inquiries.send": _("Send inquiries and requests for quotation"),
    "inquiries.answer": _("Answer inquiries for one's company"),
    "promotion.manage": _("Run promotion: featured items, banners, sponsored keywords, e-mail campaigns, quotes"),
    "promotion.request": _("Ask for a promotion quote for one's company"),
    "reports.view": _("See the programme's activity reports"),
    "analytics.view_own": _("See one's company's activity dashboard and monthly reports"),
    "audit.view": _("See the audit log and the report on elevated privileges"),
    "billing.subscribe": _("Choose one's company's paid plan, pay for it and see its invoices"),
    "billing.manage": _("Define paid plans, negotiated prices and billing rules"),
    "billing.finance": _("See every invoice, record bank transfers and follow Stripe's events"),
}

# Plan features are checked with the same ``can()``, as ``plan.<feature>``: they come from
# the subscription of the member's company, not from the role matrix (shared_apps.billing).
PLAN_FEATURE_PREFIX = "plan."

_MEMBER_BASICS = ["home.view", "dashboard.view", "notifications.view", "directory.view", "catalogue.view"]

DEFAULT_ROLE_MATRIX = {
    TENANT_ADMIN: sorted(PERMISSIONS),
    MODERATOR: sorted(
        {
            *_MEMBER_BASICS, "members.view", "directory.moderate", "directory.export", "verification.review",
            "reports.view", "catalogue.moderate", "promotion.manage",
        }
    ),
    COMPANY_REP: sorted({*_MEMBER_BASICS, "catalogue.edit_own", "inquiries.answer", "verification.request", "profiles.edit_own",
                         "billing.subscribe", "promotion.request", "analytics.view_own"}),
    EXPERT: sorted({*_MEMBER_BASICS, "profiles.edit_own"}),
    BUYER: sorted({*_MEMBER_BASICS, "inquiries.send"}),
    GUEST: ["home.view", "dashboard.view", "notifications.view"],
    VISITOR: ["home.view"],
}

# Roles that outrank others: who may grant which role (an admin grants any role, a
# moderator none). Used by invitations so nobody hands out more than they hold.
GRANTABLE_ROLES = {TENANT_ADMIN: list(ROLES)}

DEFAULT_KPIS = [
    {"key": "active_members", "label": "Active members (30 days)", "target": 100, "unit": "members"},
    {"key": "verified_companies", "label": "Verified companies", "target": 60, "unit": "companies"},
]

# What the analytics module can measure for a KPI (``"metric"`` in a KPI definition), and
# whether the target is a floor ("at_least") or a ceiling ("at_most"). Metrics over a period
# are measured over the period the dashboard shows; the others as they are now.
KPI_METRICS = {
    "products_online": (_("Products online (supported companies)"), "at_least"),
    "companies_with_products": (_("Supported companies with at least N products online"), "at_least"),
    "inquiries_received": (_("Inquiries received in the period"), "at_least"),
    "response_rate": (_("Share of the period's inquiries answered (%)"), "at_least"),
    "answered_within_hours": (_("Share of the period's inquiries answered within N hours (%)"), "at_least"),
    "median_response_hours": (_("Median time to the first answer (hours)"), "at_most"),
    "page_views": (_("Page views in the period"), "at_least"),
    "unique_visitors": (_("Unique visitors in the period (counted per day)"), "at_least"),
}

DEFAULT_BRANDING = {
    "logo_url": "",
    "primary_color": "#1d4ed8",
    "accent_color": "#b45309",
    "background_color": "#ffffff",
    "text_color": "#1f2937",
    "heading_font": "system-ui",
    "body_font": "system-ui",
}

FONT_STACKS = {
    "system-ui": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "serif": "Georgia, 'Times New Roman', serif",
    "humanist": "'Gill Sans', 'Gill Sans MT', Calibri, 'Trebuchet MS', sans-serif",
    "geometric": "Avenir, Montserrat, Corbel, 'URW Gothic', sans-serif",
    "monospace": "ui-monospace, 'Cascadia Code', 'Source Code Pro', Menlo, monospace",
}
