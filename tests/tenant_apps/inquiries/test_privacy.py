"""Personal data in inquiries: a copy holds them; deleting an account leaves no dangling row."""

from django_tenants.utils import tenant_context

from tenant_apps.inquiries import privacy, services
from tenant_apps.inquiries.models import Inquiry, Message
from tests.tenant_apps.inquiries.conftest import member


def test_a_copy_of_ones_data_holds_ones_inquiries_and_messages(alpha, world):
    with tenant_context(alpha.tenant):
        inquiry = world.inquiry()
        services.post_message(author=world.owner, inquiry=inquiry, body="Answer from Lyon")
        [sent] = privacy.inquiries_sent(user=world.buyer, tenant=alpha.tenant)
        assert (sent["company"], sent["subject"], sent["kind"], sent["country"]) == (
            "Usinage Précis", "Your machines", "contact", "AE")
        assert [m["message"] for m in privacy.messages_written(user=world.owner, tenant=alpha.tenant)] == [
            "Answer from Lyon"]
        assert privacy.inquiries_sent(user=world.other_buyer, tenant=alpha.tenant) == []


def test_deleting_an_account_removes_the_buyers_threads_and_keeps_the_companys_messages(alpha, world):
    # People of this test's own: delete() clears the objects' ids, which outlive the rollback.
    buyer = member(alpha, "buyer")
    with tenant_context(alpha.tenant):
        inquiry = world.inquiry(buyer=buyer)
        services.post_message(author=world.owner, inquiry=inquiry, body="Answer")
        other = world.inquiry(buyer=world.other_buyer)
        services.post_message(author=world.colleague, inquiry=other, body="Hello")
    buyer.delete()
    world.colleague.delete()
    with tenant_context(alpha.tenant):
        assert list(Inquiry.objects.all()) == [other]
        assert Message.objects.filter(inquiry=other).count() == 2
