from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.accounts.selectors import membership_in  # noqa: F401  (re-exported for the views)


def user_by_address(address: str) -> User | None:
    return User.objects.filter(email__iexact=address.strip()).first()


def locked_addresses() -> list[dict]:
    """Accounts locked by failed sign-ins right now, with their failure counts."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return list(
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .exclude(username__isnull=True).exclude(username="")
        .values("username").annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT).order_by("username")
    )
