import pytest
from django.core.exceptions import ValidationError

from shared_apps.access import measures, services
from shared_apps.access.models import Award
from shared_apps.access.tasks import evaluate_activity_rules_task
from shared_apps.accounts.permissions import can
from shared_apps.audit.models import AuditEvent


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def _rule(programme, **kwargs):
    values = {"badge": "Ambassadeur", "role": "buyer", "measure": "sign_ins", "threshold": 2,
              "permissions": ["members.view"]}
    values.update(kwargs)
    return services.create_rule(tenant=programme.tenant, actor=programme.members["tenant_admin"], **values)


def test_members_who_meet_a_rule_get_the_badge_and_its_permissions(alpha):
    _rule(alpha)
    buyer = alpha.members["buyer"]
    alpha.client(buyer)
    alpha.client(buyer)
    alpha.client(alpha.members["expert"])
    alpha.client(alpha.members["expert"])
    assert evaluate_activity_rules_task(alpha.tenant.pk) == {"awarded": 1, "withdrawn": 0}
    assert list(Award.objects.for_tenant(alpha.tenant).values_list("user", flat=True)) == [buyer.pk]
    assert can(_fresh(buyer), "members.view", tenant=alpha.tenant)
    assert not can(_fresh(alpha.members["expert"]), "members.view", tenant=alpha.tenant)
    html = alpha.client(alpha.members["tenant_admin"]).get("/accounts/members/").content.decode()
    assert 'class="badge">Ambassadeur<' in html
    assert AuditEvent.objects.for_tenant(alpha.tenant).filter(action="award.granted").count() == 1
    assert evaluate_activity_rules_task(alpha.tenant.pk) == {"awarded": 0, "withdrawn": 0}


def test_paused_rule_gives_no_permission_and_deleted_rule_withdraws_badges(alpha):
    rule = _rule(alpha, measure="membership_days", threshold=0, role="")
    services.evaluate_rules(alpha.tenant)
    guest = alpha.members["guest"]
    assert can(_fresh(guest), "members.view", tenant=alpha.tenant)
    services.set_rule_active(tenant=alpha.tenant, actor=alpha.members["tenant_admin"], rule=rule, is_active=False)
    assert not can(_fresh(guest), "members.view", tenant=alpha.tenant)
    services.delete_rule(tenant=alpha.tenant, actor=alpha.members["tenant_admin"], rule=rule)
    assert not Award.objects.for_tenant(alpha.tenant).exists()


def test_badges_of_one_tenant_do_not_show_on_another(alpha, beta):
    _rule(alpha, measure="membership_days", threshold=0, role="", badge="Pionnier")
    services.evaluate_rules(alpha.tenant)
    html = beta.client(beta.members["tenant_admin"]).get("/accounts/members/").content.decode()
    assert "Pionnier" not in html


def test_other_modules_can_register_measures(alpha):
    @measures.register("test_constant", "Always five")
    def always_five(tenant, user_ids):
        return dict.fromkeys(user_ids, 5)

    try:
        _rule(alpha, measure="test_constant", threshold=5, role="expert", badge="Five")
        assert services.evaluate_rules(alpha.tenant)["awarded"] == 1
    finally:
        measures.MEASURES.pop("test_constant")


def test_invitations_accepted_measure_counts_joined_invitees(alpha):
    from shared_apps.accounts import services as accounts

    admin = alpha.members["tenant_admin"]
    invitation = accounts.invite(tenant=alpha.tenant, inviter=admin, email="joiner@example.org", role="buyer")
    accounts.accept_invitation(invitation=invitation, full_name="Joiner", password="a long enough password 2")
    values = measures.MEASURES["invitations_accepted"].compute(alpha.tenant, [admin.pk])
    assert values == {admin.pk: 1}


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"measure": "nope"}, "measure"),
    ({"permissions": ["nope.nope"]}, "permissions"),
    ({"badge": "  "}, "badge"),
])
def test_invalid_rules_are_refused(alpha, kwargs, field):
    with pytest.raises(ValidationError) as error:
        _rule(alpha, **kwargs)
    assert field in error.value.message_dict


def test_rule_page_shows_errors_and_keeps_input(alpha):
    client = alpha.client(alpha.members["tenant_admin"])
    _rule(alpha)
    response = client.post("/manage/access/badges/", {"badge": "Ambassadeur", "measure": "sign_ins", "threshold": "3"})
    assert response.status_code == 400
    assert 'value="3"' in response.content.decode()
    assert client.post("/manage/access/badges/", {"badge": "Mentor", "measure": "sign_ins", "threshold": "3"}).status_code == 302
