"""Unsubscribe links: a signed (user, campaign) pair, valid in one programme only.

They do not expire: a person may open an old e-mail and must still be able to leave.
The signature's salt names the programme's schema, so a link from one programme
does nothing in another.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "promotion.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeToken:
    user_id: int
    campaign_id: int | None


def make_unsubscribe_token(*, user_id: int, campaign_id: int | None, schema_name: str) -> str:
    return signing.Signer(salt=f"{SALT}:{schema_name}").sign_object({"u": user_id, "c": campaign_id}, compress=True)


def read_unsubscribe_token(token: str, *, schema_name: str) -> UnsubscribeToken | None:
    """The token's content, or None when it was altered or made for another programme."""
    try:
        data = signing.Signer(salt=f"{SALT}:{schema_name}").unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    campaign_id = data.get("c")
    return UnsubscribeToken(user_id=data["u"], campaign_id=campaign_id if isinstance(campaign_id, int) else None)
