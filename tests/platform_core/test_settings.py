import logging
import os
import subprocess
import sys
from pathlib import Path

from platform_core.logging import ContextFilter, request_id_var, tenant_var, user_id_var

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deployment_checklist():
    env = {
        **os.environ,
        "COMPTOIR_ENV": "production",
        "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-enough-0123456789abcdef",
        "ALLOWED_HOSTS": ".comptoir.example",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres",
        "COMPTOIR_TESTING": "0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "COMPTOIR_ENV": "production", "COMPTOIR_TESTING": "0"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='platform_core.settings'; django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_log_records_carry_tenant_and_request_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", (), None)
    # Set every variable: an earlier request in this thread leaves its own values behind.
    tokens = tenant_var.set("alpha"), request_id_var.set("req-1"), user_id_var.set("-")
    try:
        ContextFilter().filter(record)
    finally:
        tenant_var.reset(tokens[0])
        request_id_var.reset(tokens[1])
        user_id_var.reset(tokens[2])
    assert (record.tenant, record.request_id, record.user_id) == ("alpha", "req-1", "-")


def test_requests_log_with_their_tenant(alpha, caplog):
    caplog.set_level(logging.WARNING)
    alpha.client().get("/no-such-page/")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(getattr(r, "tenant", None) == "alpha" for r in records if hasattr(r, "tenant"))
