import factory
from django.utils import timezone

from shared_apps.accounts.models import Membership, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="fr_FR")
    email_verified_at = factory.LazyFunction(timezone.now)
    # E-mails follow the recipient's language; assertions read English unless a test
    # clears this to see the programme's default language at work.
    preferred_language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "company_rep"
    organisation = factory.Faker("company", locale="fr_FR")


class NotificationFactory(factory.django.DjangoModelFactory):
    """Create inside the tenant's schema (``tenant_context``); skips preferences and e-mail."""

    class Meta:
        model = "notifications.Notification"

    recipient = factory.SubFactory(UserFactory)
    kind = "system.announcement"
    title = factory.Sequence(lambda n: f"Announcement {n}")
    body = "The programme has news for you."
