import pytest
from django.core.exceptions import ValidationError

from tenants import catalog, services


def _refusal(tenant, **changes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        services.update_configuration(tenant, **changes)
    return caught.value


def test_branding_change_is_saved_with_the_defaults_kept(alpha):
    services.update_configuration(alpha.tenant, branding={"primary_color": "#0B3D2E"})

    alpha.tenant.refresh_from_db()
    assert alpha.tenant.branding["primary_color"] == "#0b3d2e"
    assert alpha.tenant.branding["background_color"] == catalog.DEFAULT_BRANDING["background_color"]


def test_low_contrast_is_refused_with_the_ratio_explained(alpha):
    error = _refusal(alpha.tenant, branding={"text_color": "#eeeeee"})

    message = error.message_dict["text_color"][0]
    assert "contrast ratio of 1.16:1" in message and "at least 4.5:1" in message
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.branding["text_color"] == catalog.DEFAULT_BRANDING["text_color"]


def test_malformed_colour_is_refused(alpha):
    assert (
        "six hexadecimal digits"
        in _refusal(alpha.tenant, branding={"accent_color": "red"}).messages[0]
    )


def test_unknown_font_is_refused(alpha):
    assert _refusal(alpha.tenant, branding={"body_font": "comic"}).messages == [
        "Choose one of the offered fonts."
    ]


def test_default_language_must_be_enabled(alpha):
    error = _refusal(alpha.tenant, languages=["en"])

    assert error.messages == ["The default language must be one of the enabled languages."]


def test_languages_change_with_a_matching_default(alpha):
    services.update_configuration(alpha.tenant, languages=["en", "de"], default_language="de")

    alpha.tenant.refresh_from_db()
    assert (alpha.tenant.default_language, alpha.tenant.languages) == ("de", ["en", "de"])


@pytest.mark.parametrize(
    ("languages", "message"),
    [([], "Enable at least one language."), (["fr", "xx"], "Unknown language: xx.")],
)
def test_bad_language_lists_are_refused(alpha, languages, message):
    assert _refusal(alpha.tenant, languages=languages, default_language="fr").messages == [message]


def test_role_matrix_that_locks_admins_out_is_refused(alpha):
    matrix = {**alpha.tenant.role_matrix, catalog.TENANT_ADMIN: ["home.view", "settings.view"]}

    error = _refusal(alpha.tenant, role_matrix=matrix)

    assert "or nobody could undo this change" in error.messages[0]


@pytest.mark.parametrize("matrix", [{"janitor": ["home.view"]}, {catalog.GUEST: ["home.teleport"]}])
def test_role_matrix_with_unknown_names_is_refused(alpha, matrix):
    _refusal(alpha.tenant, role_matrix={**alpha.tenant.role_matrix, **matrix})


def test_role_matrix_change_is_saved(alpha):
    matrix = {**alpha.tenant.role_matrix, catalog.GUEST: ["home.view"]}

    services.update_configuration(alpha.tenant, role_matrix=matrix)

    alpha.tenant.refresh_from_db()
    assert alpha.tenant.permissions_for(catalog.GUEST) == {"home.view"}


@pytest.mark.parametrize(
    ("kpis", "message"),
    [
        (
            [{"key": "Members", "label": "M", "target": 1}],
            "KPI key “Members”: use lower-case letters",
        ),
        (
            [{"key": "m", "label": "M", "target": 1}, {"key": "m", "label": "N", "target": 2}],
            "is used twice",
        ),
        ([{"key": "m", "label": " ", "target": 1}], "Every KPI needs a label."),
        ([{"key": "m", "label": "M", "target": -1}], "the target must be a number of zero or more"),
        (
            [{"key": "m", "label": "M", "target": "ten"}],
            "the target must be a number of zero or more",
        ),
    ],
)
def test_bad_kpis_are_refused(alpha, kpis, message):
    assert message in _refusal(alpha.tenant, kpis=kpis).messages[0]


def test_kpis_are_saved(alpha):
    kpis = [{"key": "exports", "label": "Export contracts", "target": 12.5, "unit": "contracts"}]

    services.update_configuration(alpha.tenant, kpis=kpis)

    alpha.tenant.refresh_from_db()
    assert alpha.tenant.kpis == kpis


def test_one_tenants_change_leaves_the_other_alone(alpha, beta):
    services.update_configuration(alpha.tenant, branding={"primary_color": "#0b3d2e"})

    beta.tenant.refresh_from_db()
    assert beta.tenant.branding["primary_color"] == catalog.DEFAULT_BRANDING["primary_color"]
