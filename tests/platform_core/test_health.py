import json

from django.test import Client


def test_healthz_answers_on_every_host(alpha, platform_client):
    for client in (alpha.client(), platform_client, Client(HTTP_HOST="unknown.example.org")):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert json.loads(response.content) == {"status": "ok"}


def test_readyz_reports_each_dependency(alpha):
    response = alpha.client().get("/readyz")
    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert set(body["checks"]) == {"database", "redis", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_says_unavailable_when_redis_is_down(alpha, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = alpha.client().get("/readyz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["status"] == "unavailable" and body["checks"]["redis"]["ok"] is False


def test_every_response_carries_a_request_id(alpha):
    response = alpha.client().get("/", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    generated = alpha.client().get("/", HTTP_X_REQUEST_ID="bad id with spaces\n")
    assert generated["X-Request-ID"] != "bad id with spaces\n" and len(generated["X-Request-ID"]) == 32
