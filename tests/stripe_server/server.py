"""A small, stateful Stripe-compatible HTTP server for tests, on 127.0.0.1.

It speaks Stripe's wire format to the official library (form-encoded bodies with nested
``a[b][0][c]`` keys, ``expand[]``, list objects, idempotency keys, error objects) for the
endpoints Comptoir uses, and signs the events it emits exactly as Stripe does
(``Stripe-Signature: t=<unix>,v1=<HMAC-SHA256 of "t.payload" with the whsec secret>``).

Test-control endpoints under ``/_test/`` stand in for what a person or time does at
Stripe: completing Checkout, a card that will be declined, a period that renews, an
automatic payout of the available balance. ``StripeServer.add_charge``, ``add_refund``
and ``add_payout`` run the same flows from Python, dated in the past when a test needs
history. Events are kept in order; a test delivers them (``deliver``) to Django's test
client, or the server posts them to ``webhook_url`` when one is set (the browser tests'
live server).

Lists are Stripe's: newest first, ``limit`` (1 to 100, 10 by default), ``starting_after``
and ``ending_before`` cursors, a ``has_more`` that tells the truth, and range filters
(``created[gte]=…``) where Stripe has them.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import secrets
import threading
import time
import urllib.request
from copy import deepcopy
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

API_VERSION = "2026-10-28.endive"
DAY = 24 * 3600
MONTH = 30 * DAY
YEAR = 365 * DAY
# Card payments become available for payout this long after they are made.
AVAILABLE_AFTER = 2 * DAY
RANGE_OPERATORS = ("gt", "gte", "lt", "lte")


def card_fee(amount: int) -> int:
    """Stripe's standard European card pricing: 1.5 % + 0.25."""
    return round(amount * 0.015) + 25


class StripeError(Exception):
    def __init__(self, status: int, type_: str, message: str, code: str = "", param: str = ""):
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": type_, "message": message, **({"code": code} if code else {}),
                                                     **({"param": param} if param else {})}}


def missing(kind: str, object_id: str, param: str = "id") -> StripeError:
    return StripeError(404, "invalid_request_error", f"No such {kind}: '{object_id}'", "resource_missing", param)


def public(value):
    """A copy without the server's own bookkeeping (keys starting with ``_``), as Stripe sends it."""
    if isinstance(value, dict):
        return {key: public(item) for key, item in value.items() if not key.startswith("_")}
    if isinstance(value, list):
        return [public(item) for item in value]
    return value


def decode_form(body: str) -> dict:
    """``a[b][0][c]=1&expand[]=x`` → ``{"a": {"b": [{"c": "1"}]}, "expand": ["x"]}``."""
    result: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = [key.split("[", 1)[0], *re.findall(r"\[([^\]]*)\]", key)]
        node = result
        for position, part in enumerate(parts):
            last = position == len(parts) - 1
            following = None if last else parts[position + 1]
            container = [] if following is not None and (following == "" or following.isdigit()) else {}
            if isinstance(node, list):
                index = len(node) if part == "" else int(part)
                while len(node) <= index:
                    node.append(None)
                if last:
                    node[index] = value
                else:
                    if node[index] is None:
                        node[index] = container
                    node = node[index]
            else:
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, container)
    return result


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + payload
    return f"t={timestamp},v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}"


class FakeStripe:
    """The state: Stripe objects by id, the event log, and the test clock."""

    def __init__(self, *, webhook_secret: str, api_key: str):
        self.webhook_secret, self.api_key = webhook_secret, api_key
        self.lock = threading.RLock()
        self._counter = itertools.count(1)
        self.base_url = ""
        self.reset()

    def reset(self) -> None:
        """Forget every object, event and setting, as a new Stripe account would start."""
        with self.lock:
            self.objects: dict[str, dict] = {}
            self.events: list[dict] = []
            self.delivered = 0
            self.idempotent: dict[tuple[str, str], tuple[int, dict]] = {}
            self.declining_customers: set[str] = set()
            self.clock_offset = 0
            self.requests: list[str] = []
            self.failing: tuple[int, str] | None = None
            self.webhook_url = ""
            self.webhook_host = ""

    # State helpers

    def now(self) -> int:
        return int(time.time()) + self.clock_offset

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_test{next(self._counter):06d}{secrets.token_hex(4)}"

    def add(self, prefix: str, obj: dict) -> dict:
        obj.setdefault("id", self.new_id(prefix))
        obj.setdefault("created", self.now())
        obj.setdefault("livemode", False)
        obj["_sequence"] = next(self._counter)
        self.objects[obj["id"]] = obj
        return obj

    def get(self, kind: str, object_id: str, prefix: str, param: str = "id") -> dict:
        obj = self.objects.get(object_id)
        if obj is None or not object_id.startswith(prefix):
            raise missing(kind, object_id, param)
        return obj

    def of_type(self, object_type: str) -> list[dict]:
        return [obj for obj in self.objects.values() if obj.get("object") == object_type]

    def emit(self, event_type: str, obj: dict, previous: dict | None = None) -> dict:
        event = {"id": self.new_id("evt"), "object": "event", "api_version": API_VERSION, "created": self.now(),
                 "livemode": False, "pending_webhooks": 1, "type": event_type, "request": {"id": None},
                 "data": {"object": public(obj), **({"previous_attributes": public(previous)} if previous else {})}}
        self.events.append(event)
        if self.webhook_url:
            threading.Thread(target=self.post_event, args=(event,), daemon=True).start()
        return event

    def signed(self, event: dict) -> tuple[bytes, str]:
        payload = json.dumps(event).encode()
        return payload, sign(payload, self.webhook_secret, self.now())

    def post_event(self, event: dict) -> int:
        payload, signature = self.signed(event)
        headers = {"Content-Type": "application/json", "Stripe-Signature": signature}
        if self.webhook_host:
            headers["Host"] = self.webhook_host
        request = urllib.request.Request(self.webhook_url, data=payload, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    def list_object(self, items: list[dict], url: str) -> dict:
        return {"object": "list", "data": items, "has_more": False, "url": url}

    # Billing flows

    def balance_transaction(self, source: str, amount: int, currency: str, kind: str, *, created: int | None = None,
                            fee: int | None = None) -> dict:
        created = self.now() if created is None else created
        fee = (card_fee(amount) if kind == "charge" else 0) if fee is None else fee
        return self.add("txn", {
            "object": "balance_transaction", "amount": amount, "currency": currency, "fee": fee, "net": amount - fee,
            "source": source, "type": kind, "reporting_category": kind, "description": None, "exchange_rate": None,
            "created": created, "available_on": created + (AVAILABLE_AFTER if amount > 0 else 0), "status": "pending",
            "fee_details": [{"amount": fee, "currency": currency, "type": "stripe_fee", "description": "Stripe processing fees",
                             "application": None}] if fee else [],
        })

    def settle(self) -> None:
        """Balance transactions whose ``available_on`` has come are available (for a payout)."""
        now = self.now()
        for txn in self.of_type("balance_transaction"):
            if txn["status"] == "pending" and txn["available_on"] <= now:
                txn["status"] = "available"

    def customer(self, customer_id: str) -> dict:
        """The customer, created on the spot for a test that names one Stripe has not seen."""
        if customer_id not in self.objects:
            self.add("cus", {"id": customer_id, "object": "customer", "email": None, "name": None, "metadata": {}})
        return self.get("customer", customer_id, "cus_")

    def charge(self, *, customer: str | None, amount: int, currency: str, invoice: str | None = None,
               description: str | None = None, created: int | None = None, fee: int | None = None) -> dict:
        """A card payment that succeeds: its payment intent, the charge, its balance transaction
        (with Stripe's fee unless ``fee`` says otherwise), and ``charge.succeeded``."""
        created = self.now() if created is None else created
        intent = self.add("pi", {"object": "payment_intent", "amount": amount, "currency": currency, "customer": customer,
                                 "status": "succeeded", "created": created})
        charge = self.add("ch", {"object": "charge", "amount": amount, "currency": currency, "customer": customer,
                                 "paid": True, "status": "succeeded", "captured": True, "payment_intent": intent["id"],
                                 "refunded": False, "amount_refunded": 0, "invoice": invoice, "description": description,
                                 "created": created})
        charge["balance_transaction"] = self.balance_transaction(charge["id"], amount, currency, "charge", created=created,
                                                                 fee=fee)["id"]
        intent["latest_charge"] = charge["id"]
        self.emit("charge.succeeded", charge)
        return charge

    def refund(self, *, charge_id: str, amount: int | None = None, reason: str | None = None,
               created: int | None = None) -> dict:
        """Give back part or all of a charge: the refund, its negative balance transaction,
        ``refund.created`` and ``charge.refunded``."""
        charge = self.get("charge", charge_id, "ch_", "charge")
        left = charge["amount"] - charge["amount_refunded"]
        amount = left if amount is None else int(amount)
        if amount <= 0 or amount > left:
            raise StripeError(400, "invalid_request_error",
                              f"Refund amount ({amount}) is greater than unrefunded amount on charge.",
                              "amount_too_large", "amount")
        created = self.now() if created is None else created
        refund = self.add("re", {"object": "refund", "amount": amount, "currency": charge["currency"],
                                 "charge": charge["id"], "status": "succeeded", "reason": reason, "created": created})
        refund["balance_transaction"] = self.balance_transaction(refund["id"], -amount, charge["currency"], "refund",
                                                                 created=created)["id"]
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        self.emit("refund.created", refund)
        self.emit("charge.refunded", charge)
        return refund

    def payout(self, *, currency: str, amount: int | None = None, automatic: bool = True,
               transactions: list[str] | None = None, created: int | None = None, arrival_date: int | None = None,
               status: str = "paid", description: str | None = None) -> dict:
        """A payout to the bank. An automatic one pays out the available balance of its
        currency (or the ``transactions`` named) and lists them under ``payout=``; its
        amount is their net unless one is given. A manual one pays out ``amount``."""
        created = self.now() if created is None else created
        arrival_date = created + DAY if arrival_date is None else arrival_date
        self.settle()
        if transactions is not None:
            paid_out = [self.get("balance transaction", txn_id, "txn_") for txn_id in transactions]
        elif automatic:
            paid_out = [txn for txn in self.of_type("balance_transaction")
                        if txn["currency"] == currency and txn["type"] != "payout" and not txn.get("_payout")
                        and txn["status"] == "available" and txn["created"] <= created]
        else:
            paid_out = []
        if amount is None:
            amount = sum(txn["net"] for txn in paid_out)
        if amount <= 0 and transactions is None and automatic:
            raise StripeError(400, "invalid_request_error", "Your available balance is too low for a payout.",
                              "balance_insufficient", "amount")
        payout = self.add("po", {
            "object": "payout", "amount": amount, "currency": currency, "arrival_date": arrival_date,
            "automatic": automatic, "status": status, "method": "standard", "type": "bank_account",
            "destination": "ba_test_local", "source_type": "card", "description": description, "metadata": {},
            "statement_descriptor": None, "failure_code": None, "failure_message": None, "created": created,
        })
        own = self.balance_transaction(payout["id"], -amount, currency, "payout", created=created)
        payout["balance_transaction"] = own["id"]
        if automatic:
            for txn in [*paid_out, own]:
                txn["_payout"] = payout["id"]
        self.emit("payout.created", payout)
        if status == "paid":
            self.emit("payout.paid", payout)
        return payout

    def subscription_period(self, subscription: dict) -> tuple[int, int]:
        item = subscription["items"]["data"][0]
        return item["current_period_start"], item["current_period_end"]

    def create_invoice(self, subscription: dict, *, reason: str) -> dict:
        price = self.objects[subscription["items"]["data"][0]["price"]["id"]]
        start, end = self.subscription_period(subscription)
        in_trial = subscription["status"] == "trialing"
        amount = 0 if in_trial else price["unit_amount"]
        lines = [{"id": self.new_id("il"), "object": "line_item", "amount": amount, "currency": price["currency"],
                  "description": f"1 × {self.objects[price['product']]['name']}", "period": {"start": start, "end": end},
                  "pricing": {"price_details": {"price": price["id"]}}}]
        for pending in subscription.pop("_pending_items", []):
            lines.insert(0, pending)
        subtotal = sum(line["amount"] for line in lines)
        tax_percent = subscription.get("_tax_percent", 0)
        tax = round(subtotal * tax_percent / 100) if subtotal > 0 else 0
        invoice = self.add("in", {
            "object": "invoice", "customer": subscription["customer"], "currency": price["currency"],
            "billing_reason": reason, "status": "draft", "subtotal": subtotal, "tax": tax, "total": subtotal + tax,
            "amount_due": max(subtotal + tax, 0), "amount_paid": 0, "amount_remaining": max(subtotal + tax, 0),
            "attempt_count": 0, "number": None, "period_start": start, "period_end": end,
            "parent": {"type": "subscription_details", "subscription_details": {"subscription": subscription["id"],
                                                                                "metadata": subscription["metadata"]}},
            "lines": self.list_object(lines, "/v1/invoices/lines"), "payments": self.list_object([], "/v1/invoice_payments"),
            "hosted_invoice_url": "", "status_transitions": {"finalized_at": None, "paid_at": None},
        })
        invoice["number"] = f"TEST-{len([o for o in self.objects.values() if o.get('object') == 'invoice']):04d}"
        invoice["status"] = "open"
        invoice["status_transitions"]["finalized_at"] = self.now()
        invoice["hosted_invoice_url"] = f"https://invoice.stripe.test/{invoice['id']}"
        subscription["latest_invoice"] = invoice["id"]
        self.emit("invoice.finalized", invoice)
        return invoice

    def attempt_payment(self, invoice: dict) -> bool:
        subscription = self.objects[invoice["parent"]["subscription_details"]["subscription"]]
        invoice["attempt_count"] += 1
        if invoice["amount_due"] == 0:
            return self._mark_paid(invoice, subscription, charge=None)
        customer = invoice["customer"]
        if customer in self.declining_customers:
            self.declining_customers.discard(customer)
            intent = self.add("pi", {"object": "payment_intent", "amount": invoice["amount_due"],
                                     "currency": invoice["currency"], "customer": customer,
                                     "status": "requires_payment_method"})
            charge = self.add("ch", {"object": "charge", "amount": invoice["amount_due"], "currency": invoice["currency"],
                                     "customer": customer, "paid": False, "status": "failed", "captured": False,
                                     "failure_code": "card_declined", "payment_intent": intent["id"], "refunded": False,
                                     "amount_refunded": 0, "balance_transaction": None, "invoice": invoice["id"]})
            intent["latest_charge"] = charge["id"]
            self.emit("charge.failed", charge)
            self.emit("invoice.payment_failed", invoice)
            if subscription["status"] in ("active", "trialing"):
                previous = {"status": subscription["status"]}
                subscription["status"] = "past_due"
                self.emit("customer.subscription.updated", subscription, previous)
            return False
        charge = self.charge(customer=customer, amount=invoice["amount_due"], currency=invoice["currency"],
                             invoice=invoice["id"], description=f"Invoice {invoice['number']}")
        return self._mark_paid(invoice, subscription, charge=charge)

    def _mark_paid(self, invoice: dict, subscription: dict, charge: dict | None) -> bool:
        invoice["status"], invoice["amount_paid"], invoice["amount_remaining"] = "paid", invoice["amount_due"], 0
        invoice["status_transitions"]["paid_at"] = self.now()
        if charge is not None:
            invoice["payments"]["data"].append({"object": "invoice_payment", "payment": {"type": "charge", "charge": charge["id"]}})
        self.emit("invoice.paid", invoice)
        if subscription["status"] == "past_due":
            previous = {"status": "past_due"}
            subscription["status"] = "active"
            self.emit("customer.subscription.updated", subscription, previous)
        return True

    def complete_checkout(self, session_id: str) -> dict:
        session = self.get("checkout session", session_id, "cs_")
        if session["status"] != "open":
            raise StripeError(400, "invalid_request_error", "This Checkout Session is not open.")
        price = self.objects[session["line_items"][0]["price"]]
        start = self.now()
        trial_days = int(session.get("subscription_data", {}).get("trial_period_days") or 0)
        end = start + (trial_days * 24 * 3600 if trial_days else (365 * 24 * 3600 if price["recurring"]["interval"] == "year" else MONTH))
        subscription = self.add("sub", {
            "object": "subscription", "customer": session["customer"], "status": "trialing" if trial_days else "active",
            "cancel_at_period_end": False, "canceled_at": None, "ended_at": None, "trial_end": end if trial_days else None,
            "metadata": dict(session.get("subscription_data", {}).get("metadata") or {}),
            "items": self.list_object([{"id": self.new_id("si"), "object": "subscription_item", "price": deepcopy(price),
                                        "quantity": 1, "current_period_start": start, "current_period_end": end}],
                                      "/v1/subscription_items"),
            "latest_invoice": None, "_tax_percent": float(session.get("_tax_percent") or 0),
        })
        session.update(status="complete", payment_status="paid", subscription=subscription["id"])
        self.emit("checkout.session.completed", session)
        self.emit("customer.subscription.created", subscription)
        invoice = self.create_invoice(subscription, reason="subscription_create")
        self.attempt_payment(invoice)
        return subscription

    def renew(self, subscription_id: str) -> dict:
        """The period ends: Stripe cancels (cancel_at_period_end) or invoices and charges."""
        subscription = self.get("subscription", subscription_id, "sub_")
        _start, end = self.subscription_period(subscription)
        self.clock_offset += max(end - self.now(), 0) + 1
        if subscription["cancel_at_period_end"]:
            subscription.update(status="canceled", canceled_at=self.now(), ended_at=self.now())
            self.emit("customer.subscription.deleted", subscription)
            return subscription
        item = subscription["items"]["data"][0]
        length = MONTH if item["price"]["recurring"]["interval"] == "month" else 365 * 24 * 3600
        previous = {"status": subscription["status"]}
        item["current_period_start"], item["current_period_end"] = end, end + length
        if subscription["status"] == "trialing":
            subscription["status"], subscription["trial_end"] = "active", subscription["trial_end"]
        self.emit("customer.subscription.updated", subscription, previous)
        self.attempt_payment(self.create_invoice(subscription, reason="subscription_cycle"))
        return subscription

    def automatic_payout(self, currency: str) -> dict:
        """Stripe's daily payout: the available balance leaves for the bank and arrives a day later."""
        payout = self.payout(currency=currency, status="in_transit")
        self.clock_offset += max(payout["arrival_date"] - self.now(), 0)
        previous = {"status": payout["status"]}
        payout["status"] = "paid"
        self.emit("payout.updated", payout, previous)
        self.emit("payout.paid", payout)
        return payout

    def retry_payment(self, subscription_id: str) -> dict:
        subscription = self.get("subscription", subscription_id, "sub_")
        invoice = self.objects[subscription["latest_invoice"]]
        if invoice["status"] == "open":
            self.attempt_payment(invoice)
        return invoice

    # Dispatch

    def handle(self, method: str, path: str, query: dict, form: dict, idempotency_key: str) -> tuple[int, dict]:
        with self.lock:
            self.requests.append(f"{method} {path}")
            if self.failing is not None and path.startswith("/v1/"):
                status, message = self.failing
                return status, {"error": {"type": "api_error" if status >= 500 else "invalid_request_error",
                                          "message": message}}
            if idempotency_key and method == "POST":
                cached = self.idempotent.get((path, idempotency_key))
                if cached is not None:
                    return cached
            status, body = self._route(method, path, query, form)
            if idempotency_key and method == "POST" and status < 500:
                self.idempotent[(path, idempotency_key)] = (status, body)
            return status, body

    def _expand(self, obj: dict, expand: list[str]) -> dict:
        obj = deepcopy(obj)
        for path in expand:
            parts = path.split(".")
            targets = [obj]
            for position, part in enumerate(parts):
                last = position == len(parts) - 1
                next_targets = []
                for target in targets:
                    value = target.get(part) if isinstance(target, dict) else None
                    if part == "data" and isinstance(value, list) and not last:
                        next_targets.extend(value)
                    elif last and isinstance(value, str) and value in self.objects:
                        target[part] = deepcopy(self.objects[value])
                    elif isinstance(value, dict):
                        next_targets.append(value)
                targets = next_targets
        return public(obj)

    # Lists

    def page(self, items: list[dict], params: dict, url: str) -> dict:
        """One page of a list, newest first, from the ``starting_after`` or ``ending_before`` cursor."""
        limit = self._integer(params, "limit", default=10)
        if not 1 <= limit <= 100:
            raise StripeError(400, "invalid_request_error",
                              "This value must be greater than or equal to 1 and less than or equal to 100.",
                              param="limit")
        ordered = sorted(items, key=lambda obj: (obj["created"], obj["_sequence"]), reverse=True)
        if params.get("starting_after") and params.get("ending_before"):
            raise StripeError(400, "invalid_request_error",
                              "You may only specify one of these parameters: ending_before, starting_after.")
        kind = url.rsplit("/", 1)[-1].removesuffix("s")
        if params.get("starting_after"):
            cursor = self._cursor(params, "starting_after", kind)
            after = [obj for obj in ordered if (obj["created"], obj["_sequence"]) < cursor]
            data, has_more = after[:limit], len(after) > limit
        elif params.get("ending_before"):
            cursor = self._cursor(params, "ending_before", kind)
            before = [obj for obj in ordered if (obj["created"], obj["_sequence"]) > cursor]
            data, has_more = before[-limit:], len(before) > limit
        else:
            data, has_more = ordered[:limit], len(ordered) > limit
        return {"object": "list", "data": data, "has_more": has_more, "url": url}

    def _cursor(self, params: dict, name: str, kind: str) -> tuple[int, int]:
        obj = self.objects.get(params[name])
        if obj is None:
            raise missing(kind, params[name], name)
        return obj["created"], obj["_sequence"]

    @staticmethod
    def _integer(params: dict, name: str, *, default: int | None = None) -> int | None:
        value = params.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise StripeError(400, "invalid_request_error", f"Invalid integer: {value}", param=name) from None

    def in_range(self, items: list[dict], params: dict, field: str) -> list[dict]:
        """Filter on ``field=<t>`` or ``field[gt|gte|lt|lte]=<t>``, as Stripe's range parameters."""
        bounds = params.get(field)
        if bounds is None or bounds == "":
            return items
        if not isinstance(bounds, dict):
            exact = self._integer(params, field)
            return [obj for obj in items if obj[field] == exact]
        for operator in bounds:
            if operator not in RANGE_OPERATORS:
                raise StripeError(400, "invalid_request_error", f"Received unknown parameter: {field}[{operator}]",
                                  param=f"{field}[{operator}]")
        limits = {}
        for operator, value in bounds.items():
            try:
                limits[operator] = int(value)
            except (TypeError, ValueError):
                raise StripeError(400, "invalid_request_error", f"Invalid integer: {value}",
                                  param=f"{field}[{operator}]") from None
        checks = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}
        return [obj for obj in items if all(checks[operator](int(obj[field]), bound)
                                            for operator, bound in limits.items())]

    def _route(self, method: str, path: str, query: dict, form: dict) -> tuple[int, dict]:
        params = {**query, **form}
        expand = params.get("expand") or []
        segments = [segment for segment in path.split("/") if segment]
        try:
            if segments[:1] == ["_test"]:
                return 200, public(self._control(method, segments[1:], params))
            if segments[:1] != ["v1"]:
                raise StripeError(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path}).")
            resource, rest = segments[1], segments[2:]
            handler = getattr(self, f"_{resource}", None)
            if resource == "checkout":
                handler, rest = self._checkout_sessions, rest[1:]
            elif resource == "billing_portal":
                handler, rest = self._portal_sessions, rest[1:]
            if handler is None:
                raise StripeError(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path}).")
            result = handler(method, rest, params)
            if result.get("object") == "list":
                result = {**result, "data": [self._expand(item, [e.removeprefix("data.") for e in expand if e.startswith("data.")])
                                             for item in result["data"]]}
                return 200, result
            return 200, self._expand(result, expand)
        except StripeError as error:
            return error.status, error.body

    def _required(self, params: dict, *names: str) -> None:
        for name in names:
            if not params.get(name):
                raise StripeError(400, "invalid_request_error", f"Missing required param: {name}.", "parameter_missing", name)

    def _customers(self, method, rest, params):
        if method == "POST" and not rest:
            return self.add("cus", {"object": "customer", "email": params.get("email"), "name": params.get("name"),
                                    "metadata": params.get("metadata") or {}})
        customer = self.get("customer", rest[0], "cus_")
        if method == "POST":
            customer.update({key: value for key, value in params.items() if key in ("email", "name", "metadata")})
        return customer

    def _products(self, method, rest, params):
        if method == "POST" and not rest:
            self._required(params, "name")
            return self.add("prod", {"object": "product", "name": params["name"], "active": True,
                                     "metadata": params.get("metadata") or {}})
        return self.get("product", rest[0], "prod_")

    def _prices(self, method, rest, params):
        if method == "POST" and not rest:
            self._required(params, "product", "currency", "unit_amount")
            self.get("product", params["product"], "prod_")
            recurring = params.get("recurring") or {}
            if recurring and recurring.get("interval") not in ("day", "week", "month", "year"):
                raise StripeError(400, "invalid_request_error", "Invalid recurring[interval]", param="recurring[interval]")
            return self.add("price", {"object": "price", "product": params["product"], "currency": params["currency"],
                                      "unit_amount": int(params["unit_amount"]), "recurring": {"interval": recurring.get("interval"),
                                                                                              "interval_count": 1},
                                      "type": "recurring" if recurring else "one_time", "active": True,
                                      "tax_behavior": params.get("tax_behavior", "unspecified")})
        return self.get("price", rest[0], "price_")

    def _tax_rates(self, method, rest, params):
        if method == "POST" and not rest:
            return self.add("txr", {"object": "tax_rate", "percentage": float(params["percentage"]),
                                    "inclusive": params.get("inclusive") == "true", "active": True,
                                    "display_name": params.get("display_name", "VAT")})
        if method == "GET" and not rest:
            rates = [rate for rate in self.of_type("tax_rate") if rate["active"]]
            return self.page(rates, params, "/v1/tax_rates")
        return self.get("tax rate", rest[0], "txr_")

    def _checkout_sessions(self, method, rest, params):
        if method == "POST" and not rest:
            self._required(params, "mode", "success_url", "line_items")
            if params["mode"] != "subscription":
                raise StripeError(400, "invalid_request_error", "Only subscription mode is supported here.", param="mode")
            for line in params["line_items"]:
                self.get("price", line["price"], "price_")
            customer = params.get("customer") or self.add("cus", {"object": "customer", "email": None, "metadata": {}})["id"]
            tax_rates = (params.get("subscription_data") or {}).get("default_tax_rates") or []
            session = self.add("cs", {
                "object": "checkout.session", "mode": "subscription", "status": "open", "payment_status": "unpaid",
                "customer": customer, "client_reference_id": params.get("client_reference_id"),
                "line_items": params["line_items"], "metadata": params.get("metadata") or {},
                "subscription_data": params.get("subscription_data") or {}, "subscription": None,
                "success_url": params["success_url"], "cancel_url": params.get("cancel_url"),
                "_tax_percent": self.objects[tax_rates[0]]["percentage"] if tax_rates else 0,
            })
            session["url"] = f"{self.base_url}/_test/pay/{session['id']}"
            return session
        return self.get("checkout session", rest[0], "cs_")

    def _portal_sessions(self, method, rest, params):
        self._required(params, "customer")
        self.get("customer", params["customer"], "cus_")
        session = self.add("bps", {"object": "billing_portal.session", "customer": params["customer"],
                                   "return_url": params.get("return_url")})
        session["url"] = f"{self.base_url}/_test/portal/{session['id']}"
        return session

    def _subscriptions(self, method, rest, params):
        if not rest:
            raise StripeError(404, "invalid_request_error", "Subscriptions are created through Checkout here.")
        subscription = self.get("subscription", rest[0], "sub_")
        if method == "DELETE" or rest[1:] == ["cancel"]:
            subscription.update(status="canceled", canceled_at=self.now(), ended_at=self.now())
            self.emit("customer.subscription.deleted", subscription)
        elif method == "POST":
            previous = {}
            if "cancel_at_period_end" in params:
                previous["cancel_at_period_end"] = subscription["cancel_at_period_end"]
                subscription["cancel_at_period_end"] = params["cancel_at_period_end"] == "true"
            for item_params in params.get("items") or []:
                item = next((i for i in subscription["items"]["data"] if i["id"] == item_params.get("id")), None)
                if item is None:
                    raise missing("subscription_item", item_params.get("id", ""))
                new_price = self.get("price", item_params["price"], "price_")
                old_price = item["price"]
                previous["items"] = deepcopy(subscription["items"])
                if params.get("proration_behavior", "create_prorations") == "create_prorations":
                    start, end = item["current_period_start"], item["current_period_end"]
                    remaining = max(end - self.now(), 0) / max(end - start, 1)
                    subscription.setdefault("_pending_items", []).extend([
                        {"id": self.new_id("il"), "object": "line_item", "amount": -round(old_price["unit_amount"] * remaining),
                         "currency": old_price["currency"], "description": "Unused time", "proration": True,
                         "period": {"start": self.now(), "end": end}},
                        {"id": self.new_id("il"), "object": "line_item", "amount": round(new_price["unit_amount"] * remaining),
                         "currency": new_price["currency"], "description": "Remaining time", "proration": True,
                         "period": {"start": self.now(), "end": end}},
                    ])
                item["price"] = deepcopy(new_price)
            if params.get("metadata"):
                subscription["metadata"].update(params["metadata"])
            self.emit("customer.subscription.updated", subscription, previous)
        return subscription

    def _invoices(self, method, rest, params):
        if not rest:
            invoices = [invoice for invoice in self.of_type("invoice")
                        if not params.get("customer") or invoice["customer"] == params["customer"]]
            return self.page(self.in_range(invoices, params, "created"), params, "/v1/invoices")
        return self.get("invoice", rest[0], "in_")

    def _charges(self, method, rest, params):
        if not rest:
            charges = [charge for charge in self.of_type("charge")
                       if not params.get("customer") or charge["customer"] == params["customer"]]
            return self.page(self.in_range(charges, params, "created"), params, "/v1/charges")
        return self.get("charge", rest[0], "ch_")

    def _payment_intents(self, method, rest, params):
        return self.get("payment_intent", rest[0], "pi_")

    def _balance_transactions(self, method, rest, params):
        self.settle()
        if rest:
            return self.get("balance transaction", rest[0], "txn_")
        transactions = self.of_type("balance_transaction")
        if params.get("payout"):
            payout = self.get("payout", params["payout"], "po_", "payout")
            if not payout["automatic"]:
                raise StripeError(400, "invalid_request_error", "Balance transaction history can only be filtered on "
                                  "automatic transfers, not manual.", param="payout")
            transactions = [txn for txn in transactions if txn.get("_payout") == payout["id"]]
        for name in ("type", "source", "currency"):
            if params.get(name):
                transactions = [txn for txn in transactions if txn[name] == params[name]]
        return self.page(self.in_range(transactions, params, "created"), params, "/v1/balance_transactions")

    def _refunds(self, method, rest, params):
        if method == "POST" and not rest:
            self._required(params, "charge")
            return self.refund(charge_id=params["charge"], amount=self._integer(params, "amount"),
                               reason=params.get("reason"))
        if not rest:
            refunds = [refund for refund in self.of_type("refund")
                       if not params.get("charge") or refund["charge"] == params["charge"]]
            return self.page(self.in_range(refunds, params, "created"), params, "/v1/refunds")
        return self.get("refund", rest[0], "re_")

    def _payouts(self, method, rest, params):
        if method == "POST" and not rest:
            # A payout made through the API is manual: Stripe pays out the amount asked
            # (this server does not check the balance covers it).
            self._required(params, "amount", "currency")
            return self.payout(amount=self._integer(params, "amount"), currency=params["currency"], automatic=False,
                               description=params.get("description"))
        if not rest:
            payouts = self.of_type("payout")
            if params.get("status"):
                payouts = [payout for payout in payouts if payout["status"] == params["status"]]
            payouts = self.in_range(self.in_range(payouts, params, "created"), params, "arrival_date")
            return self.page(payouts, params, "/v1/payouts")
        return self.get("payout", rest[0], "po_")

    def _control(self, method, segments, params):
        match segments:
            case ["checkout_sessions", session_id, "complete"]:
                return self.complete_checkout(session_id)
            case ["customers", customer_id, "decline_next_payment"]:
                self.get("customer", customer_id, "cus_")
                self.declining_customers.add(customer_id)
                return {"declining": customer_id}
            case ["subscriptions", subscription_id, "renew"]:
                return self.renew(subscription_id)
            case ["subscriptions", subscription_id, "retry_payment"]:
                return self.retry_payment(subscription_id)
            case ["payouts"]:
                return self.automatic_payout(params.get("currency") or "eur")
            case ["clock", "advance"]:
                self.clock_offset += int(params.get("seconds", 0))
                return {"now": self.now()}
            case ["events"]:
                return self.list_object(self.events, "/_test/events")
            case ["events", event_id, "resend"]:
                event = next((e for e in self.events if e["id"] == event_id), None)
                if event is None:
                    raise missing("event", event_id)
                self.events.append(event)
                return event
            case ["pay", session_id]:
                return self.get("checkout session", session_id, "cs_")
        raise StripeError(404, "invalid_request_error", "Unknown test control.")


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeStripe/1"
    state: FakeStripe

    def log_message(self, format, *args):  # noqa: A002 (http.server's own signature)
        pass

    def _respond(self, status: int, body: dict, *, html: str = "") -> None:
        data = html.encode() if html else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8" if html else "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", f"req_{secrets.token_hex(6)}")
        self.end_headers()
        self.wfile.write(data)

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if parts.path.startswith("/_test/pay/") and method == "GET":
            return self._payment_page(parts.path.rsplit("/", 1)[-1])
        if parts.path.startswith("/_test/pay/") and method == "POST":
            status, session = self.state.handle("GET", f"/v1/checkout/sessions/{parts.path.rsplit('/', 1)[-1]}", {}, {}, "")
            if status == 200:
                self.state.handle("POST", f"/_test/checkout_sessions/{session['id']}/complete", {}, {}, "")
                self.send_response(303)
                self.send_header("Location", session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"]))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            return self._respond(status, session)
        if not parts.path.startswith("/_test/"):
            authorization = self.headers.get("Authorization", "")
            if authorization != f"Bearer {self.state.api_key}":
                return self._respond(401, {"error": {"type": "invalid_request_error",
                                                     "message": "Invalid API Key provided."}})
        status, payload = self.state.handle(method, parts.path, decode_form(parts.query), decode_form(body),
                                            self.headers.get("Idempotency-Key", ""))
        return self._respond(status, payload)

    def _payment_page(self, session_id: str) -> None:
        html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test payment</title></head>'
                f'<body><main><h1>Test payment page</h1><form method="post" action="/_test/pay/{session_id}">'
                f'<button type="submit">Pay</button></form></main></body></html>')
        self._respond(200, {}, html=html)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._dispatch("GET")

    def do_POST(self):  # noqa: N802
        self._dispatch("POST")

    def do_DELETE(self):  # noqa: N802
        self._dispatch("DELETE")


def _timestamp(value) -> int | None:
    if value is None:
        return None
    return int(value.timestamp()) if isinstance(value, datetime) else int(value)


class StripeServer:
    """The server in a daemon thread on a free loopback port; ``stop()`` shuts it down.

    One server can serve a whole test session: ``reset()`` empties it between tests.
    """

    def __init__(self, *, webhook_secret: str = "whsec_test_local", api_key: str = "sk_test_local"):
        self.state = FakeStripe(webhook_secret=webhook_secret, api_key=api_key)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.state.base_url = self.base_url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def api_key(self) -> str:
        return self.state.api_key

    @property
    def webhook_secret(self) -> str:
        return self.state.webhook_secret

    def start(self) -> StripeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self) -> None:
        self.state.reset()

    def now(self) -> int:
        """The server's clock (moved on by renewals, payouts and ``clock/advance``)."""
        return self.state.now()

    @property
    def requests(self) -> list[str]:
        """Every request received, as ``"GET /v1/payouts"``, in order."""
        return self.state.requests

    def fail_requests(self, status: int, message: str) -> None:
        """Answer every API request with this error, as Stripe does for a key it refuses,
        until ``reset()``."""
        self.state.failing = (status, message)

    def control(self, path: str, **params) -> dict:
        """POST to a test-control endpoint over HTTP, as an outside actor would."""
        from urllib.parse import urlencode

        request = urllib.request.Request(f"{self.base_url}/_test/{path}", data=urlencode(params).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def pending_events(self) -> list[dict]:
        with self.state.lock:
            events = self.state.events[self.state.delivered:]
            self.state.delivered = len(self.state.events)
        return events

    def signed(self, event: dict) -> tuple[bytes, str]:
        return self.state.signed(event)

    # Activity at Stripe, through the server's own flows, dated when a test needs history.

    def add_charge(self, *, amount: int, currency: str = "eur", customer: str = "", created=None,
                   fee: int | None = None) -> tuple[dict, dict]:
        """A card payment that succeeded and its balance transaction; the fee is Stripe's
        pricing unless given. ``created`` is a datetime or a Unix time (now by default)."""
        with self.state.lock:
            if customer:
                self.state.customer(customer)
            charge = self.state.charge(customer=customer or None, amount=amount, currency=currency,
                                       created=_timestamp(created), fee=fee)
            return public(charge), public(self.state.objects[charge["balance_transaction"]])

    def add_refund(self, *, charge: dict, amount: int | None = None, created=None) -> tuple[dict, dict]:
        """A refund of ``charge`` (all that is left of it by default) and its balance transaction."""
        with self.state.lock:
            refund = self.state.refund(charge_id=charge["id"], amount=amount, created=_timestamp(created))
            return public(refund), public(self.state.objects[refund["balance_transaction"]])

    def add_payout(self, *, amount: int | None = None, currency: str = "eur", arrival_date=None,
                   transactions: list[dict] | None = None, automatic: bool = True, status: str = "paid",
                   created=None) -> dict:
        """A payout that reached the bank on ``arrival_date`` (created a day before unless
        given). An automatic one pays out ``transactions`` (the available balance when
        None) and its amount is their net unless ``amount`` says otherwise."""
        arrival = _timestamp(arrival_date)
        created = _timestamp(created)
        if created is None and arrival is not None:
            created = arrival - DAY
        with self.state.lock:
            payout = self.state.payout(
                currency=currency, amount=amount, automatic=automatic, created=created, arrival_date=arrival,
                status=status, transactions=None if transactions is None else [txn["id"] for txn in transactions])
            return public(payout)
