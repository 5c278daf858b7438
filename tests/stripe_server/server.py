"""A small, stateful Stripe-compatible HTTP server for tests, on 127.0.0.1.

It speaks Stripe's wire format to the official library (form-encoded bodies with nested
``a[b][0][c]`` keys, ``expand[]``, list objects, idempotency keys, error objects) for the
endpoints Comptoir uses, and signs the events it emits exactly as Stripe does
(``Stripe-Signature: t=<unix>,v1=<HMAC-SHA256 of "t.payload" with the whsec secret>``).

Test-control endpoints under ``/_test/`` stand in for what a person or time does at
Stripe: completing Checkout, a card that will be declined, a period that renews, a payout.
Events are kept in order; a test delivers them (``deliver``) to Django's test client, or
the server posts them to ``webhook_url`` when one is set (the browser tests' live server).
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

API_VERSION = "2026-10-28.endive"
MONTH = 30 * 24 * 3600


class StripeError(Exception):
    def __init__(self, status: int, type_: str, message: str, code: str = "", param: str = ""):
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": type_, "message": message, **({"code": code} if code else {}),
                                                     **({"param": param} if param else {})}}


def missing(kind: str, object_id: str) -> StripeError:
    return StripeError(404, "invalid_request_error", f"No such {kind}: '{object_id}'", "resource_missing", "id")


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
        self.objects: dict[str, dict] = {}
        self.events: list[dict] = []
        self.delivered = 0
        self.idempotent: dict[tuple[str, str], tuple[int, dict]] = {}
        self.declining_customers: set[str] = set()
        self.clock_offset = 0
        self.requests: list[tuple[str, str]] = []
        self.webhook_url = ""
        self.webhook_host = ""
        self._counter = itertools.count(1)

    # State helpers

    def now(self) -> int:
        return int(time.time()) + self.clock_offset

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_test{next(self._counter):06d}{secrets.token_hex(4)}"

    def add(self, prefix: str, obj: dict) -> dict:
        obj.setdefault("id", self.new_id(prefix))
        obj.setdefault("created", self.now())
        obj.setdefault("livemode", False)
        self.objects[obj["id"]] = obj
        return obj

    def get(self, kind: str, object_id: str, prefix: str) -> dict:
        obj = self.objects.get(object_id)
        if obj is None or not object_id.startswith(prefix):
            raise missing(kind, object_id)
        return obj

    def emit(self, event_type: str, obj: dict, previous: dict | None = None) -> dict:
        event = {"id": self.new_id("evt"), "object": "event", "api_version": API_VERSION, "created": self.now(),
                 "livemode": False, "pending_webhooks": 1, "type": event_type, "request": {"id": None},
                 "data": {"object": deepcopy(obj), **({"previous_attributes": previous} if previous else {})}}
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

    def balance_transaction(self, source: str, amount: int, currency: str, kind: str) -> dict:
        fee = round(amount * 0.015) + 25 if kind == "charge" else 0
        return self.add("txn", {"object": "balance_transaction", "amount": amount, "currency": currency, "fee": fee,
                                "net": amount - fee, "source": source, "type": kind, "status": "available",
                                "available_on": self.now() + 2 * 24 * 3600,
                                "fee_details": [{"amount": fee, "currency": currency, "type": "stripe_fee"}] if fee else []})

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
        intent = self.add("pi", {"object": "payment_intent", "amount": invoice["amount_due"], "currency": invoice["currency"],
                                 "customer": customer, "status": "processing"})
        if customer in self.declining_customers:
            self.declining_customers.discard(customer)
            intent["status"] = "requires_payment_method"
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
        charge = self.add("ch", {"object": "charge", "amount": invoice["amount_due"], "currency": invoice["currency"],
                                 "customer": customer, "paid": True, "status": "succeeded", "captured": True,
                                 "payment_intent": intent["id"], "refunded": False, "amount_refunded": 0,
                                 "invoice": invoice["id"], "description": f"Invoice {invoice['number']}"})
        charge["balance_transaction"] = self.balance_transaction(charge["id"], charge["amount"], charge["currency"], "charge")["id"]
        intent["status"], intent["latest_charge"] = "succeeded", charge["id"]
        self.emit("charge.succeeded", charge)
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

    def retry_payment(self, subscription_id: str) -> dict:
        subscription = self.get("subscription", subscription_id, "sub_")
        invoice = self.objects[subscription["latest_invoice"]]
        if invoice["status"] == "open":
            self.attempt_payment(invoice)
        return invoice

    # Dispatch

    def handle(self, method: str, path: str, query: dict, form: dict, idempotency_key: str) -> tuple[int, dict]:
        with self.lock:
            self.requests.append((method, path))
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
        return {key: value for key, value in obj.items() if not key.startswith("_")}

    def _route(self, method: str, path: str, query: dict, form: dict) -> tuple[int, dict]:
        params = {**query, **form}
        expand = params.get("expand") or []
        segments = [segment for segment in path.split("/") if segment]
        try:
            if segments[:1] == ["_test"]:
                return 200, self._control(method, segments[1:], params)
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
            rates = [o for o in self.objects.values() if o.get("object") == "tax_rate" and o["active"]]
            return self.list_object(rates, "/v1/tax_rates")
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
            invoices = [o for o in self.objects.values() if o.get("object") == "invoice"
                        and (not params.get("customer") or o["customer"] == params["customer"])]
            return self.list_object(invoices[::-1][: int(params.get("limit", 10))], "/v1/invoices")
        return self.get("invoice", rest[0], "in_")

    def _charges(self, method, rest, params):
        return self.get("charge", rest[0], "ch_")

    def _payment_intents(self, method, rest, params):
        return self.get("payment_intent", rest[0], "pi_")

    def _balance_transactions(self, method, rest, params):
        return self.get("balance transaction", rest[0], "txn_")

    def _refunds(self, method, rest, params):
        if method == "POST" and not rest:
            self._required(params, "charge")
            charge = self.get("charge", params["charge"], "ch_")
            amount = int(params.get("amount") or charge["amount"] - charge["amount_refunded"])
            if amount <= 0 or amount > charge["amount"] - charge["amount_refunded"]:
                raise StripeError(400, "invalid_request_error",
                                  f"Refund amount ({amount}) is greater than unrefunded amount on charge.",
                                  "amount_too_large", "amount")
            refund = self.add("re", {"object": "refund", "amount": amount, "currency": charge["currency"],
                                     "charge": charge["id"], "status": "succeeded", "reason": params.get("reason")})
            refund["balance_transaction"] = self.balance_transaction(refund["id"], -amount, charge["currency"], "refund")["id"]
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] == charge["amount"]
            self.emit("refund.created", refund)
            self.emit("charge.refunded", charge)
            return refund
        if not rest:
            refunds = [o for o in self.objects.values() if o.get("object") == "refund"
                       and (not params.get("charge") or o["charge"] == params["charge"])]
            return self.list_object(refunds, "/v1/refunds")
        return self.get("refund", rest[0], "re_")

    def _payouts(self, method, rest, params):
        if method == "POST" and not rest:
            self._required(params, "amount", "currency")
            payout = self.add("po", {"object": "payout", "amount": int(params["amount"]), "currency": params["currency"],
                                     "status": "paid", "arrival_date": self.now() + 24 * 3600, "description": params.get("description")})
            payout["balance_transaction"] = self.balance_transaction(payout["id"], -payout["amount"], payout["currency"], "payout")["id"]
            self.emit("payout.created", payout)
            self.emit("payout.paid", payout)
            return payout
        if not rest:
            return self.list_object([o for o in self.objects.values() if o.get("object") == "payout"], "/v1/payouts")
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


class StripeServer:
    """The server in a daemon thread on a free loopback port; ``stop()`` shuts it down."""

    def __init__(self, *, webhook_secret: str = "whsec_test_local", api_key: str = "sk_test_local"):
        self.state = FakeStripe(webhook_secret=webhook_secret, api_key=api_key)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.state.base_url = self.base_url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> StripeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

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
