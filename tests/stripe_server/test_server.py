"""The local Stripe server answers lists and errors the way Stripe does, read through the
official library: what billing and finance rely on when their tests run against it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import stripe


@pytest.fixture
def api(stripe_server) -> stripe.StripeClient:
    return stripe.StripeClient(stripe_server.api_key, base_addresses={"api": stripe_server.base_url},
                               max_network_retries=0)


def _ago(days: float) -> datetime:
    return datetime.now(tz=UTC) - timedelta(days=days)


def test_a_list_pages_newest_first_and_has_more_tells_the_truth(stripe_server, api):
    charges = [stripe_server.add_charge(amount=100 + n, created=_ago(3) + timedelta(minutes=n))[1] for n in range(5)]
    newest_first = [txn["id"] for txn in reversed(charges)]

    first = api.v1.balance_transactions.list(params={"limit": 2})
    second = api.v1.balance_transactions.list(params={"limit": 2, "starting_after": first.data[-1].id})
    last = api.v1.balance_transactions.list(params={"limit": 2, "starting_after": second.data[-1].id})
    back = api.v1.balance_transactions.list(params={"limit": 2, "ending_before": last.data[0].id})

    assert [txn.id for txn in [*first.data, *second.data, *last.data]] == newest_first
    assert (first.has_more, second.has_more, last.has_more) == (True, True, False)
    assert [txn.id for txn in back.data] == newest_first[2:4]
    assert [txn.id for txn in api.v1.balance_transactions.list(params={"limit": 5}).data] == newest_first
    assert api.v1.balance_transactions.list(params={"limit": 5}).has_more is False


def test_balance_transactions_filter_by_creation_and_expand_their_source(stripe_server, api):
    old, _old_txn = stripe_server.add_charge(amount=1_000, customer="cus_old", created=_ago(40))
    charge, txn = stripe_server.add_charge(amount=5_000, customer="cus_recent", created=_ago(5), fee=100)
    refund, refund_txn = stripe_server.add_refund(charge=charge, amount=2_000, created=_ago(4))

    window = {"gte": int(_ago(30).timestamp()), "lt": int(_ago(0).timestamp())}
    page = api.v1.balance_transactions.list(params={"created": window, "expand": ["data.source"]})

    assert [t.id for t in page.data] == [refund_txn["id"], txn["id"]]
    assert page.data[0].source.charge == charge["id"] and page.data[0].amount == -2_000
    assert page.data[1].source.customer == "cus_recent"
    assert (page.data[1].fee, page.data[1].net) == (100, 4_900)
    assert api.v1.charges.retrieve(charge["id"]).amount_refunded == 2_000
    assert old["id"] not in {t.source.id for t in page.data}


def test_an_automatic_payout_pays_out_the_available_balance_and_lists_it(stripe_server, api):
    _charge, paid = stripe_server.add_charge(amount=10_000, created=_ago(5))
    _recent, pending = stripe_server.add_charge(amount=7_000, created=_ago(0.5))  # not available yet
    payout = stripe_server.add_payout(arrival_date=_ago(1), created=_ago(2))

    listed = api.v1.balance_transactions.list(params={"payout": payout["id"]})

    assert payout["automatic"] and payout["amount"] == paid["net"]
    assert {t.id for t in listed.data} == {paid["id"], payout["balance_transaction"]}
    assert pending["id"] not in {t.id for t in listed.data}
    arrived = api.v1.payouts.list(params={"arrival_date": {"gte": int(_ago(1.5).timestamp())}})
    assert [p.id for p in arrived.data] == [payout["id"]]
    assert api.v1.payouts.list(params={"arrival_date": {"lt": int(_ago(1.5).timestamp())}}).data == []


def test_the_payout_control_pays_out_and_emits_payout_paid(stripe_server):
    stripe_server.add_charge(amount=10_000, created=_ago(3))

    payout = stripe_server.control("payouts", currency="eur")

    assert payout["status"] == "paid" and payout["arrival_date"] <= stripe_server.now()
    assert [e["type"] for e in stripe_server.pending_events()][-2:] == ["payout.updated", "payout.paid"]


def test_stripe_errors_keep_stripe_shapes(stripe_server, api):
    manual = api.v1.payouts.create(params={"amount": 500, "currency": "eur"})
    assert manual.automatic is False

    with pytest.raises(stripe.InvalidRequestError) as manual_filter:
        api.v1.balance_transactions.list(params={"payout": manual.id})
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        api.v1.balance_transactions.list(params={"payout": "po_nope"})
    with pytest.raises(stripe.InvalidRequestError) as too_many:
        api.v1.balance_transactions.list(params={"limit": 101})
    with pytest.raises(stripe.InvalidRequestError) as lost_cursor:
        api.v1.balance_transactions.list(params={"starting_after": "txn_gone"})
    with pytest.raises(stripe.InvalidRequestError) as bad_range:
        api.v1.payouts.list(params={"arrival_date": {"gte": "tomorrow"}})

    assert "automatic transfers, not manual" in manual_filter.value.user_message
    assert manual_filter.value.param == "payout" and manual_filter.value.http_status == 400
    assert (unknown.value.http_status, unknown.value.code, unknown.value.param) == (404, "resource_missing", "payout")
    assert too_many.value.param == "limit"
    assert lost_cursor.value.user_message == "No such balance_transaction: 'txn_gone'"
    assert bad_range.value.param == "arrival_date[gte]"

    stripe_server.fail_requests(403, "This API key cannot read balance transactions.")
    with pytest.raises(stripe.PermissionError, match="cannot read balance transactions"):
        api.v1.balance_transactions.list()
    with pytest.raises(stripe.AuthenticationError):
        stripe.StripeClient("sk_test_wrong", base_addresses={"api": stripe_server.base_url}).v1.payouts.list()
