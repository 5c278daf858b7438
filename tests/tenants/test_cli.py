from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_exists

from tenants.models import Tenant


def run(*args, **options) -> str:
    out = StringIO()
    call_command("tenant", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_create_provisions_a_programme_and_says_where(db, settings):
    output = run(
        "create",
        "gamma",
        "--name",
        "Programme gamma",
        "--languages",
        "en,fr",
        "--theme",
        "showroom",
    )

    tenant = Tenant.objects.get(slug="gamma")
    assert (tenant.default_language, tenant.languages, tenant.theme) == (
        "en",
        ["en", "fr"],
        "showroom",
    )
    assert schema_exists("gamma")
    assert f"gamma.{settings.PLATFORM_DOMAIN}" in output and "Created “Programme gamma”" in output


def test_create_with_the_migrate_method(db):
    run("create", "gamma", "--name", "Programme gamma", "--method", "migrate")

    assert schema_exists("gamma")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bad_slug", "--name", "X"], "slug: Use 1 to 40 lower-case letters"),
        (["alpha", "--name", "X"], "slug: A tenant with this slug already exists."),
        (
            ["gamma", "--name", "X", "--domain", "bad_host.example.org"],
            "domains: “bad_host.example.org” is not",
        ),
        (
            ["gamma", "--name", "X", "--languages", "fr", "--default-language", "de"],
            "languages: The default",
        ),
        (["gamma", "--name", "X", "--theme", "neon"], "theme: Unknown theme “neon”."),
        (["gamma", "--name", "X", "--method", "copy"], "invalid choice: 'copy'"),
    ],
)
def test_create_refuses_bad_input_with_a_clear_message(alpha, args, message):
    with pytest.raises(CommandError) as caught:
        run("create", *args)

    assert message in str(caught.value)
    assert not Tenant.objects.filter(slug="gamma").exists()


def test_list_shows_programmes_only(alpha, beta):
    lines = run("list").splitlines()

    assert [line.split()[0] for line in lines] == ["alpha", "beta"]
    assert "alpha.comptoir.test" in lines[0]


def test_suspend_then_resume(alpha):
    assert "suspended" in run("suspend", "alpha")
    assert Tenant.objects.get(slug="alpha").is_suspended

    run("resume", "alpha")
    assert Tenant.objects.get(slug="alpha").status == Tenant.Status.ACTIVE


def test_unknown_slug_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No programme with the slug “nowhere”"):
        run("suspend", "nowhere")


def test_delete_asks_for_the_slug_and_refuses_a_wrong_one(alpha, export_dir, monkeypatch):
    questions = []
    monkeypatch.setattr("builtins.input", lambda prompt: questions.append(prompt) or "beta")

    with pytest.raises(CommandError, match="Type the tenant's slug exactly"):
        run("delete", "alpha")

    assert "Type its slug to confirm" in questions[0]
    assert schema_exists("alpha")
    assert not export_dir.exists()


def test_delete_writes_the_export_before_dropping(gamma, export_dir, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "gamma")

    output = run("delete", "gamma")

    exports = list(export_dir.glob("gamma-*.zip"))
    assert len(exports) == 1 and str(exports[0]) in output
    assert not schema_exists("gamma")


def test_delete_with_confirm_skips_the_question(gamma, export_dir, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked a question"))

    run("delete", "gamma", "--confirm", "gamma")

    assert not Tenant.objects.filter(slug="gamma").exists()


def test_delete_without_input_needs_confirm(gamma):
    with pytest.raises(CommandError, match="--confirm"):
        run("delete", "gamma", interactive=False)


def test_delete_with_no_answer_is_a_clear_error(gamma, monkeypatch):
    def closed_stdin(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", closed_stdin)

    with pytest.raises(CommandError, match="--confirm"):
        run("delete", "gamma")
    assert schema_exists("gamma")


def test_pool_reports_and_refills(db):
    output = run("pool", "--refill", "--size", "3")

    assert "3 spare schema(s) ready." in output
    assert Tenant.objects.spares().count() == 3
