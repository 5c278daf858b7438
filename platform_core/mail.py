"""Branded e-mail: rendered in the tenant's theme and the recipient's language, sent by Celery."""

from __future__ import annotations

import base64

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tenants.utils import schema_context


def recipient_language(user, tenant) -> str:
    preferred = getattr(user, "preferred_language", "") if user is not None else ""
    if tenant is not None and not tenant.is_public:
        return preferred if preferred in tenant.languages else tenant.default_language
    return preferred or settings.LANGUAGE_CODE


def render_branded_mail(*, tenant, template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Return (subject, text, html) for ``templates/<template>_{subject,body}.txt|html``."""
    schema = tenant.schema_name if tenant is not None else "public"
    with schema_context(schema), translation.override(language):
        context = {
            **context,
            "tenant": tenant,
            "platform_name": settings.PLATFORM_NAME,
            "programme_name": tenant.name if tenant is not None and not tenant.is_public else settings.PLATFORM_NAME,
            "branding": tenant.branding if tenant is not None and not tenant.is_public else None,
        }
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_body.txt", context)
        html = render_to_string(f"{template}_body.html", context)
    return subject, text, html


def send_branded_mail(*, tenant, to: str, template: str, context: dict, language: str,
                      attachments: list[tuple[str, bytes, str]] | None = None) -> None:
    """Render and queue a message; ``attachments`` are (file name, content, MIME type)."""
    subject, text, html = render_branded_mail(tenant=tenant, template=template, context=context, language=language)
    # Task arguments travel as JSON: attachments go base64-encoded.
    encoded = [(name, base64.b64encode(content).decode("ascii"), mimetype) for name, content, mimetype in attachments or []]
    deliver_mail.delay(to=to, subject=subject, text=text, html=html, attachments=encoded)


def build_mail(
    *, to: str, subject: str, text: str, html: str, headers: dict | None = None, attachments: list | None = None
) -> EmailMultiAlternatives:
    """The message ``deliver_mail`` sends; callers that send many (campaigns) reuse one connection.

    ``attachments`` are (name, base64 content, mimetype) triples, as they travel in task arguments.
    """
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers or None)
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments or []:
        message.attach(name, base64.b64decode(content), mimetype)
    return message


@shared_task(name="platform_core.deliver_mail", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_mail(
    *, to: str, subject: str, text: str, html: str, headers: dict | None = None, attachments: list | None = None
) -> None:
    build_mail(to=to, subject=subject, text=text, html=html, headers=headers, attachments=attachments).send()
