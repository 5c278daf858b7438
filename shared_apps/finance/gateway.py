"""What reconciliation reads from Stripe, through the official library, and nothing else.

Lists are read with the library's auto-pagination, so a month of activity of any size
arrives whole. Nothing here writes to Stripe or to the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import stripe
from django.conf import settings

# Balance transactions that are a seller's card payment or its refund. Their Stripe fee
# is part of the payment's own transaction (``fee``); payouts are read apart.
PAYMENT_TYPES = {"charge", "payment"}
REFUND_TYPES = {"refund", "payment_refund"}
RECONCILED_TYPES = PAYMENT_TYPES | REFUND_TYPES


@dataclass(frozen=True)
class BalanceTransaction:
    id: str
    type: str
    amount: int
    fee: int
    net: int
    currency: str
    created: datetime
    source_id: str = ""
    # From the expanded source: who paid (a charge), and which payment a refund returns.
    customer_id: str = ""
    charge_id: str = ""

    @property
    def is_payment(self) -> bool:
        return self.type in PAYMENT_TYPES

    @property
    def is_refund(self) -> bool:
        return self.type in REFUND_TYPES


@dataclass(frozen=True)
class Payout:
    id: str
    amount: int
    currency: str
    status: str
    automatic: bool
    created: datetime
    arrival_date: datetime
    balance_transaction_id: str = ""


def is_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
        http_client=stripe.new_default_http_client(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def _when(timestamp) -> datetime:
    return datetime.fromtimestamp(int(timestamp or 0), tz=UTC)


def _id(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get("id", "") or ""


def _plain(obj) -> dict:
    # The library's objects are not dicts (stripe 13+): read them as plain data.
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _transaction(obj) -> BalanceTransaction:
    obj = _plain(obj)
    source = obj.get("source")
    expanded = source if source is not None and not isinstance(source, str) else None
    customer_id = charge_id = ""
    if expanded is not None:
        if expanded.get("object") == "charge":
            customer_id = _id(expanded.get("customer"))
        elif expanded.get("object") == "refund":
            charge_id = _id(expanded.get("charge"))
    return BalanceTransaction(
        id=obj["id"], type=obj.get("type") or "", amount=int(obj.get("amount") or 0), fee=int(obj.get("fee") or 0),
        net=int(obj.get("net") or 0), currency=(obj.get("currency") or "").upper(), created=_when(obj.get("created")),
        source_id=_id(source), customer_id=customer_id, charge_id=charge_id,
    )


def _range(since: datetime, until: datetime) -> dict:
    return {"gte": int(since.timestamp()), "lt": int(until.timestamp())}


def balance_transactions(*, since: datetime, until: datetime) -> list[BalanceTransaction]:
    """Card payments and refunds that reached the balance in [since, until), oldest first."""
    page = client().v1.balance_transactions.list(
        params={"created": _range(since, until), "limit": 100, "expand": ["data.source"]}
    )
    found = [_transaction(obj) for obj in map(_plain, page.auto_paging_iter()) if obj.get("type") in RECONCILED_TYPES]
    return sorted(found, key=lambda txn: (txn.created, txn.id))


def payouts(*, since: datetime, until: datetime) -> list[Payout]:
    """Payouts paid to the bank with an arrival date in [since, until)."""
    page = client().v1.payouts.list(params={"arrival_date": _range(since, until), "limit": 100})
    found = [
        Payout(id=obj["id"], amount=int(obj.get("amount") or 0), currency=(obj.get("currency") or "").upper(),
               status=obj.get("status") or "", automatic=bool(obj.get("automatic", True)),
               created=_when(obj.get("created")), arrival_date=_when(obj.get("arrival_date")),
               balance_transaction_id=_id(obj.get("balance_transaction")))
        for obj in map(_plain, page.auto_paging_iter())
    ]
    return sorted((payout for payout in found if payout.status == "paid"), key=lambda p: (p.arrival_date, p.id))


def payout_transactions(payout_id: str) -> list[BalanceTransaction]:
    """The balance transactions an automatic payout paid out (its own one excluded)."""
    page = client().v1.balance_transactions.list(params={"payout": payout_id, "limit": 100})
    return [_transaction(obj) for obj in map(_plain, page.auto_paging_iter()) if obj.get("type") != "payout"]
