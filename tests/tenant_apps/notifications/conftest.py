import pytest
from django_tenants.utils import tenant_context


@pytest.fixture
def in_alpha(alpha):
    """Run the test body inside programme alpha's schema."""
    with tenant_context(alpha.tenant):
        yield alpha


@pytest.fixture
def member(alpha):
    return alpha.members["company_rep"]


@pytest.fixture
def colleague(alpha):
    """Another member of the same programme."""
    return alpha.members["buyer"]
