"""A minimal Stripe-compatible server for the reconciliation tests, on 127.0.0.1.

It answers the two list endpoints reconciliation reads, in Stripe's JSON shape, so the
official ``stripe`` library runs for real against it (pagination, expansion, errors):

* ``GET /v1/balance_transactions``: ``created[gte|lt]``, ``payout``, ``limit``,
  ``starting_after``, ``expand[]=data.source`` (the charge or refund behind a transaction);
* ``GET /v1/payouts``: ``arrival_date[gte|lt]``, ``limit``, ``starting_after``.

The billing tests' fuller server can replace it: the tests only use ``url``,
``api_key`` and the ``add_*`` helpers below.
"""

from __future__ import annotations

import itertools
import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


def _timestamp(value) -> int:
    return int(value.timestamp()) if isinstance(value, datetime) else int(value)


class _State:
    def __init__(self):
        self.ids = itertools.count(1)
        self.balance_transactions: dict[str, dict] = {}
        self.sources: dict[str, dict] = {}
        self.payouts: dict[str, dict] = {}
        self.paid_out: dict[str, list[str]] = {}
        self.requests: list[str] = []
        self.fail_with: tuple[int, str] | None = None

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_test{next(self.ids):06d}"


class LocalStripeServer:
    api_key = "sk_test_finance_local"

    def __init__(self):
        self.state = _State()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalStripeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self) -> None:
        self.state = _State()

    @property
    def requests(self) -> list[str]:
        return self.state.requests

    def fail_next_requests(self, status: int, message: str) -> None:
        self.state.fail_with = (status, message)

    # Objects -------------------------------------------------------------------------

    def add_charge(self, *, amount: int, currency: str = "eur", customer: str = "", created, fee: int = 0,
                   type_: str = "charge") -> tuple[dict, dict]:
        """A card payment and its balance transaction (gross ``amount``, Stripe ``fee``)."""
        charge = {"id": self.state.new_id("ch"), "object": "charge", "amount": amount, "currency": currency,
                  "customer": customer or None, "created": _timestamp(created)}
        self.state.sources[charge["id"]] = charge
        txn = self._add_transaction(type_=type_, amount=amount, fee=fee, currency=currency, created=created,
                                    source=charge["id"])
        return charge, txn

    def add_refund(self, *, charge: dict, amount: int, created) -> tuple[dict, dict]:
        refund = {"id": self.state.new_id("re"), "object": "refund", "amount": amount, "currency": charge["currency"],
                  "charge": charge["id"], "status": "succeeded", "created": _timestamp(created)}
        self.state.sources[refund["id"]] = refund
        txn = self._add_transaction(type_="refund", amount=-amount, fee=0, currency=charge["currency"],
                                    created=created, source=refund["id"])
        return refund, txn

    def add_payout(self, *, amount: int, currency: str = "eur", arrival_date, transactions: list[dict] = (),
                   automatic: bool = True, status: str = "paid") -> dict:
        payout = {"id": self.state.new_id("po"), "object": "payout", "amount": amount, "currency": currency,
                  "arrival_date": _timestamp(arrival_date), "created": _timestamp(arrival_date) - 2 * 86400,
                  "automatic": automatic, "status": status, "description": None}
        own = self._add_transaction(type_="payout", amount=-amount, fee=0, currency=currency,
                                    created=payout["created"], source=payout["id"])
        payout["balance_transaction"] = own["id"]
        self.state.payouts[payout["id"]] = payout
        self.state.paid_out[payout["id"]] = [txn["id"] for txn in transactions] + [own["id"]]
        return payout

    def _add_transaction(self, *, type_: str, amount: int, fee: int, currency: str, created, source: str) -> dict:
        txn = {"id": self.state.new_id("txn"), "object": "balance_transaction", "type": type_, "amount": amount,
               "fee": fee, "net": amount - fee, "currency": currency, "created": _timestamp(created),
               "source": source, "status": "available", "reporting_category": type_}
        self.state.balance_transactions[txn["id"]] = txn
        return txn

    # HTTP ----------------------------------------------------------------------------

    def _list(self, items: list[dict], params: dict, url: str) -> dict:
        items = sorted(items, key=lambda obj: (obj.get("created", 0), obj["id"]), reverse=True)
        if params.get("starting_after"):
            ids = [obj["id"] for obj in items]
            start = ids.index(params["starting_after"]) + 1 if params["starting_after"] in ids else len(ids)
            items = items[start:]
        limit = max(1, min(int(params.get("limit") or 10), 100))
        return {"object": "list", "url": url, "has_more": len(items) > limit, "data": items[:limit]}

    @staticmethod
    def _in_range(value: int, params: dict, name: str) -> bool:
        for operator, check in (("gte", value.__ge__), ("gt", value.__gt__), ("lte", value.__le__),
                                ("lt", value.__lt__)):
            bound = params.get(f"{name}[{operator}]")
            if bound is not None and not check(int(bound)):
                return False
        return True

    def answer(self, method: str, path: str, params: dict, expand: list[str], authorization: str) -> tuple[int, dict]:
        self.state.requests.append(f"{method} {path}")
        if authorization != f"Bearer {self.api_key}":
            return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided."}}
        if self.state.fail_with is not None:
            status, message = self.state.fail_with
            return status, {"error": {"type": "api_error", "message": message}}
        if method != "GET":
            return 405, {"error": {"type": "invalid_request_error", "message": "Only lists are served here."}}
        if path == "/v1/balance_transactions":
            if params.get("payout"):
                ids = self.state.paid_out.get(params["payout"])
                if ids is None:
                    return 404, {"error": {"type": "invalid_request_error", "message": "No such payout"}}
                items = [self.state.balance_transactions[i] for i in ids]
            else:
                items = [txn for txn in self.state.balance_transactions.values()
                         if self._in_range(txn["created"], params, "created")]
            page = self._list(items, params, "/v1/balance_transactions")
            if "data.source" in expand:
                page["data"] = [{**txn, "source": self.state.sources.get(txn["source"], txn["source"])}
                                for txn in page["data"]]
            return 200, page
        if path == "/v1/payouts":
            items = [payout for payout in self.state.payouts.values()
                     if self._in_range(payout["arrival_date"], params, "arrival_date")]
            return 200, self._list(items, params, "/v1/payouts")
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})."}}

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002 (http.server's own signature)
                pass

            def do_GET(self):  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                pairs = parse_qsl(parts.query, keep_blank_values=True)
                params = {key: value for key, value in pairs if not key.startswith("expand")}
                expand = [value for key, value in pairs if key.startswith("expand")]
                status, body = server.answer("GET", parts.path, params, expand, self.headers.get("Authorization", ""))
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Request-Id", "req_local")
                self.end_headers()
                self.wfile.write(payload)

        return Handler
