"""comptoir tenant create|list|suspend|resume|delete|pool"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants import catalog, services
from tenants.models import Tenant


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class Command(BaseCommand):
    help = "Provision and manage tenants (programmes)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,list,suspend,resume,delete,pool}")

        create = sub.add_parser("create", help="create a programme")
        create.add_argument("slug")
        create.add_argument("--name", required=True)
        create.add_argument("--domain", action="append", default=[], dest="domains",
                            help="host name (repeatable; the first is the main one)")
        create.add_argument("--theme", default="francophonie", help=f"one of: {', '.join(catalog.THEMES)}")
        create.add_argument("--languages", default="fr,en", help="comma-separated language codes")
        create.add_argument("--default-language", default=None)
        create.add_argument("--modules", default=",".join(catalog.MODULES), help="comma-separated modules")
        create.add_argument("--method", choices=["pool", "migrate"], default="pool")

        sub.add_parser("list", help="list programmes")
        for name in ("suspend", "resume"):
            sub.add_parser(name, help=f"{name} a programme").add_argument("slug")
        delete = sub.add_parser("delete", help="export, then delete a programme")
        delete.add_argument("slug")
        delete.add_argument("--confirm", default=None, help="the slug again, to skip the question")
        pool = sub.add_parser("pool", help="show or refill the pool of spare schemas")
        pool.add_argument("--refill", action="store_true")
        pool.add_argument("--size", type=int, default=None)

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def _programme(self, slug: str) -> Tenant:
        tenant = Tenant.objects.programmes().filter(slug=slug).first()
        if tenant is None:
            raise CommandError(f"No programme with the slug “{slug}”. See `comptoir tenant list`.")
        return tenant

    def handle_create(self, *, slug, name, domains, theme, languages, default_language, modules, method, **_):
        languages = _csv(languages)
        spec = services.TenantSpec(
            slug=slug, name=name, domains=domains, theme=theme, languages=tuple(languages),
            default_language=default_language or (languages[0] if languages else ""), modules=tuple(_csv(modules)),
        )
        try:
            tenant, seconds = services.timed_provision(spec, method=method)
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
            raise CommandError(f"Cannot create the programme. {problems}") from error
        except services.ProvisioningError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Created “{tenant.name}” ({tenant.schema_name}) in {seconds * 1000:.0f} ms: {tenant.url()}"))

    def handle_list(self, **_):
        rows = Tenant.objects.programmes().prefetch_related("domains").order_by("slug")
        if not rows:
            self.stdout.write("No programme yet.")
        for tenant in rows:
            domains = ", ".join(d.domain for d in tenant.domains.all())
            self.stdout.write(f"{tenant.slug:<24} {tenant.status:<10} {tenant.theme:<13} {domains}  {tenant.name}")

    def handle_suspend(self, *, slug, **_):
        services.set_status(self._programme(slug), suspended=True)
        self.stdout.write(self.style.WARNING(f"{slug} is suspended: its visitors see a maintenance page."))

    def handle_resume(self, *, slug, **_):
        services.set_status(self._programme(slug), suspended=False)
        self.stdout.write(self.style.SUCCESS(f"{slug} is open again."))

    def handle_delete(self, *, slug, confirm, **options):
        tenant = self._programme(slug)
        if confirm is None:
            if not options.get("interactive", True):
                raise CommandError("Pass --confirm SLUG to delete without a question.")
            try:
                confirm = input(f"This exports, then deletes “{tenant.name}” for good. Type its slug to confirm: ").strip()
            except EOFError:
                raise CommandError("No answer to confirm the deletion; pass --confirm SLUG.") from None
        try:
            path = services.delete_tenant(tenant, confirm_slug=confirm)
        except services.ProvisioningError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Deleted {slug}; its export is {path}"))

    def handle_pool(self, *, refill, size, **_):
        if refill:
            created = services.refill_spare_pool(size)
            self.stdout.write(f"Created {created} spare schema(s).")
        self.stdout.write(f"{Tenant.objects.spares().count()} spare schema(s) ready.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument("--no-input", action="store_false", dest="interactive")
        return parser
