"""The tenant admins' pages under /manage/: who may use them, and how they answer bad input."""

import re

import pytest

from tenants import catalog
from tenants.forms import RoleMatrixForm
from tests.tenants.conftest import member_client

PAGES = ["/manage/branding/", "/manage/languages-and-modules/", "/manage/roles/", "/manage/kpis/"]
NOT_ADMINS = [catalog.MODERATOR, catalog.COMPANY_REP, catalog.EXPERT, catalog.BUYER, catalog.GUEST]


def _matrix_post(matrix: dict) -> dict:
    return {
        RoleMatrixForm.field_name(role, p): "on" for role, perms in matrix.items() for p in perms
    }


def _kpi_post(rows: list[dict]) -> dict:
    data = {
        "kpi-TOTAL_FORMS": str(len(rows)),
        "kpi-INITIAL_FORMS": "0",
        "kpi-MIN_NUM_FORMS": "0",
        "kpi-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        data.update({f"kpi-{index}-{key}": value for key, value in row.items()})
    return data


BRANDING = {
    "logo_url": "",
    "primary_color": "#1d4ed8",
    "accent_color": "#b45309",
    "background_color": "#ffffff",
    "text_color": "#1f2937",
    "heading_font": "serif",
    "body_font": "system-ui",
    "theme": "showroom",
}


@pytest.fixture
def admin(alpha):
    return member_client(alpha, alpha.members[catalog.TENANT_ADMIN])


@pytest.mark.parametrize("path", PAGES)
def test_tenant_admin_opens_every_settings_page(admin, path):
    assert admin.get(path).status_code == 200


@pytest.mark.parametrize("role", NOT_ADMINS)
@pytest.mark.parametrize("path", PAGES)
def test_other_roles_are_refused(alpha, role, path):
    client = member_client(alpha, alpha.members[role])

    assert client.get(path).status_code == 403
    assert client.post(path, {}).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(alpha, path):
    response = alpha.client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/sign-in/?next={path}")


@pytest.mark.parametrize("path", PAGES)
def test_admin_of_another_tenant_is_refused(alpha, beta, path):
    client = member_client(alpha, beta.members[catalog.TENANT_ADMIN])

    assert client.get(path).status_code == 403
    assert client.post(path, BRANDING).status_code == 403
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.theme == "francophonie"


def test_admin_changes_branding(admin, alpha):
    response = admin.post("/manage/branding/", {**BRANDING, "primary_color": "#0B3D2E"})

    assert response.status_code == 302
    alpha.tenant.refresh_from_db()
    assert (alpha.tenant.theme, alpha.tenant.branding["primary_color"]) == ("showroom", "#0b3d2e")
    assert alpha.tenant.branding["heading_font"] == "serif"


def test_low_contrast_branding_is_returned_with_the_ratio_and_what_was_typed(admin, alpha):
    response = admin.post("/manage/branding/", {**BRANDING, "text_color": "#eeeeee"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "contrast ratio of 1.16:1" in page and "4.5:1" in page
    assert 'value="#eeeeee"' in page
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.branding["text_color"] == catalog.DEFAULT_BRANDING["text_color"]


def test_malformed_colour_is_explained_next_to_its_field(admin):
    response = admin.post("/manage/branding/", {**BRANDING, "accent_color": "orange"})

    assert response.status_code == 400
    assert "six hexadecimal digits" in response.content.decode()
    assert 'value="orange"' in response.content.decode()


def test_admin_changes_languages_and_modules(admin, alpha):
    data = {
        "name": "Alpha renamed",
        "default_language": "en",
        "languages": ["en", "de"],
        "modules": ["directory"],
        "signup_roles": ["buyer"],
    }

    assert admin.post("/manage/languages-and-modules/", data).status_code == 302

    alpha.tenant.refresh_from_db()
    assert (alpha.tenant.name, alpha.tenant.default_language, alpha.tenant.languages) == (
        "Alpha renamed",
        "en",
        ["en", "de"],
    )
    assert (alpha.tenant.modules, alpha.tenant.signup_roles) == (["directory"], ["buyer"])


def test_default_language_outside_the_enabled_ones_is_refused(admin, alpha):
    data = {"name": "Alpha renamed", "default_language": "de", "languages": ["fr", "en"]}

    response = admin.post("/manage/languages-and-modules/", data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "The default language must be one of the enabled languages." in page
    assert 'value="Alpha renamed"' in page
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.name == "Programme alpha"


def test_admin_changes_the_role_matrix(admin, alpha):
    matrix = {**catalog.DEFAULT_ROLE_MATRIX, catalog.GUEST: ["home.view"]}

    assert admin.post("/manage/roles/", _matrix_post(matrix)).status_code == 302

    alpha.tenant.refresh_from_db()
    assert alpha.tenant.role_matrix[catalog.GUEST] == ["home.view"]


def test_role_matrix_lockout_is_refused_and_the_ticks_kept(admin, alpha):
    matrix = {
        **catalog.DEFAULT_ROLE_MATRIX,
        catalog.TENANT_ADMIN: ["home.view"],
        catalog.GUEST: ["reports.view"],
    }

    response = admin.post("/manage/roles/", _matrix_post(matrix))

    page = response.content.decode()
    assert response.status_code == 400
    assert "or nobody could undo this change" in page
    assert 'name="guest__reports__view" id="id_guest__reports__view" checked' in page
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.role_matrix == catalog.DEFAULT_ROLE_MATRIX


def test_unticking_every_permission_is_refused_not_ignored(admin, alpha):
    response = admin.post("/manage/roles/", {})

    assert response.status_code == 400
    assert "or nobody could undo this change" in response.content.decode()


def test_admin_changes_kpis(admin, alpha):
    rows = [{"key": "exports", "label": "Export contracts", "target": "12", "unit": "contracts"}]

    assert admin.post("/manage/kpis/", _kpi_post(rows)).status_code == 302

    alpha.tenant.refresh_from_db()
    assert alpha.tenant.kpis == [
        {"key": "exports", "label": "Export contracts", "target": 12.0, "unit": "contracts"}
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [{"key": "Exports", "label": "E", "target": "1"}],
            "Use lower-case letters, digits and underscores",
        ),
        ([{"key": "exports", "label": "E", "target": "-1"}], "greater than or equal to 0"),
        (
            [
                {"key": "exports", "label": "E", "target": "1"},
                {"key": "exports", "label": "F", "target": "2"},
            ],
            "Each KPI needs its own key.",
        ),
    ],
)
def test_bad_kpis_are_returned_with_errors_and_what_was_typed(admin, alpha, rows, message):
    response = admin.post("/manage/kpis/", _kpi_post(rows))

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert f'value="{rows[0]["key"]}"' in page
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.kpis == catalog.DEFAULT_KPIS


def test_admin_sets_mfa_roles_and_idle_timeout(alpha):
    client = member_client(alpha, alpha.members["tenant_admin"])
    assert client.get("/manage/security/").status_code == 200
    response = client.post("/manage/security/", {"mfa_required_roles": ["tenant_admin", "company_rep"], "session_idle_minutes": "20"})
    assert response.status_code == 302
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.mfa_required_roles == ["tenant_admin", "company_rep"]
    assert alpha.tenant.session_idle_minutes == 20


def test_out_of_range_idle_timeout_is_explained_and_the_choices_kept(alpha):
    client = member_client(alpha, alpha.members["tenant_admin"])
    response = client.post("/manage/security/", {"mfa_required_roles": ["company_rep"], "session_idle_minutes": "2"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "5 minutes" in html and 'value="2"' in html
    assert re.search(r'value="company_rep"[^>]*checked', html)
    assert not re.search(r'value="tenant_admin"[^>]*checked', html)
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.session_idle_minutes == 30
