import pytest
from django.core.exceptions import ValidationError

from tenants import services, validation


def _errors(**overrides) -> dict[str, list[str]]:
    spec = services.TenantSpec(
        **{"slug": "gamma", "name": "Programme gamma", "domains": [], **overrides}
    )
    with pytest.raises(ValidationError) as caught:
        services.clean_spec(spec)
    return caught.value.message_dict


@pytest.mark.parametrize(
    "slug", ["bad_slug", "-gamma", "gamma-", "gam ma", "", "g" * 41, "gamma.org"]
)
def test_malformed_slugs_are_refused_with_the_rule(db, slug):
    assert "lower-case letters, digits or hyphens" in " ".join(_errors(slug=slug)["slug"])


def test_slug_of_forty_characters_is_accepted(db):
    assert (
        services.clean_spec(services.TenantSpec(slug="g" * 40, name="Long", domains=[])).slug
        == "g" * 40
    )


def test_uppercase_slug_is_lowered_then_checked_like_any_other(db):
    assert (
        services.clean_spec(services.TenantSpec(slug="Gamma", name="G", domains=[])).slug == "gamma"
    )


@pytest.mark.parametrize(
    "slug",
    [
        "admin",
        "www",
        "public",
        "console",
        "spare-1",
        "pg-stats",
        "tenant-template",
        "information-schema",
    ],
)
def test_reserved_slugs_are_refused(db, slug):
    assert "reserved by the platform" in " ".join(_errors(slug=slug)["slug"])


def test_duplicate_slug_is_refused_whatever_its_case(alpha):
    assert _errors(slug="Alpha")["slug"] == ["A tenant with this slug already exists."]


@pytest.mark.parametrize(
    "host",
    [
        "bad_host.example.org",
        "a..b",
        "localhost",
        "http://x.example.org",
        "x" * 64 + ".example.org",
        "-x.example.org",
        "two words.example.org",
    ],
)
def test_malformed_hosts_are_refused_and_named(db, host):
    message = " ".join(_errors(domains=[host])["domains"])
    assert f"“{host}” is not a valid host name" in message


def test_host_is_lowered_and_its_trailing_dot_dropped():
    assert validation.validate_hostname(" Gamma.Example.ORG. ") == "gamma.example.org"


def test_host_of_another_tenant_is_refused(alpha):
    assert _errors(domains=[alpha.host])["domains"] == [f"Already in use: {alpha.host}."]


def test_every_problem_is_reported_at_once(db):
    errors = _errors(
        slug="bad_slug",
        name=" ",
        theme="neon",
        languages=("fr",),
        default_language="en",
        modules=("directory", "teleport"),
    )

    assert set(errors) == {"slug", "name", "theme", "languages", "modules"}
    assert errors["languages"] == ["The default language must be one of the enabled languages."]
    assert errors["modules"] == ["Unknown module: teleport."]
