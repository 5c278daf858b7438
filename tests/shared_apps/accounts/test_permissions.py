import pytest

from shared_apps.accounts.models import Membership, UnscopedQueryError
from shared_apps.accounts.permissions import can, role_in
from tenants import catalog
from tenants.services import update_configuration


def test_each_role_gets_exactly_what_the_tenant_matrix_grants(alpha):
    for role, user in alpha.members.items():
        for permission in catalog.PERMISSIONS:
            expected = permission in alpha.tenant.role_matrix[role]
            assert can(user, permission, tenant=alpha.tenant) is expected, (role, permission)


def test_member_of_one_tenant_is_a_visitor_in_another(alpha, beta):
    admin_of_alpha = alpha.members["tenant_admin"]
    assert role_in(admin_of_alpha, beta.tenant) == catalog.VISITOR
    assert not can(admin_of_alpha, "settings.change", tenant=beta.tenant)
    assert not can(admin_of_alpha, "members.view", tenant=beta.tenant)


def test_anonymous_visitor_has_only_the_visitor_row(alpha):
    from django.contrib.auth.models import AnonymousUser

    assert can(AnonymousUser(), "home.view", tenant=alpha.tenant)
    assert not can(AnonymousUser(), "dashboard.view", tenant=alpha.tenant)


def test_platform_operator_gets_nothing_on_a_tenant(alpha, operator):
    assert not can(operator, "home.view", tenant=alpha.tenant) or "home.view" in alpha.tenant.role_matrix["visitor"]
    assert not can(operator, "settings.view", tenant=alpha.tenant)


def test_a_switched_off_module_switches_its_permissions_off(alpha):
    rep = alpha.members["company_rep"]
    assert can(rep, "catalogue.edit_own", tenant=alpha.tenant)
    update_configuration(alpha.tenant, modules=[m for m in alpha.tenant.modules if m != "catalogue"])
    rep = type(rep).objects.get(pk=rep.pk)
    assert not can(rep, "catalogue.edit_own", tenant=alpha.tenant)


def test_matrix_change_takes_effect_for_the_role(alpha):
    matrix = dict(alpha.tenant.role_matrix)
    matrix["guest"] = [*matrix["guest"], "directory.view"]
    update_configuration(alpha.tenant, role_matrix=matrix)
    assert can(alpha.members["guest"], "directory.view", tenant=alpha.tenant)


def test_no_permission_outside_a_tenant(alpha):
    assert not can(alpha.members["tenant_admin"], "settings.change", tenant=None)


def test_memberships_cannot_be_queried_without_naming_a_tenant(alpha):
    with pytest.raises(UnscopedQueryError):
        list(Membership.objects.all())
    with pytest.raises(UnscopedQueryError):
        Membership.objects.filter(role="guest").count()
    with pytest.raises(UnscopedQueryError):
        Membership.objects.filter(role="guest").exists()
    assert Membership.objects.for_tenant(alpha.tenant).count() == len(catalog.ROLES)
    assert all(m.tenant_id == alpha.tenant.pk for m in Membership.objects.for_tenant(alpha.tenant))
