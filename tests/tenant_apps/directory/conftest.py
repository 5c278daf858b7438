import pytest
from django_tenants.utils import tenant_context

from tenant_apps.directory.models import Company


def make_company(programme, **fields):
    fields.setdefault("country", "FR")
    fields.setdefault("visibility", Company.Visibility.PUBLIC)
    with tenant_context(programme.tenant):
        return Company.objects.create(**fields)


@pytest.fixture
def in_alpha(alpha):
    with tenant_context(alpha.tenant):
        yield alpha
