from django.core.management.base import BaseCommand

from platform_core.demo import DEMO_PASSWORD, demo_accounts, seed_demo


class Command(BaseCommand):
    help = "Create (or complete) the two demo programmes and their people of every role."

    def add_arguments(self, parser):
        parser.add_argument("--domain-suffix", default="localhost")

    def handle(self, *args, domain_suffix, **options):
        tenants = seed_demo(domain_suffix=domain_suffix)
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {', '.join(t.name for t in tenants)}"))
        if options["verbosity"] > 1:
            for host, role, email in demo_accounts():
                self.stdout.write(f"  {host:<24} {role:<14} {email}  ({DEMO_PASSWORD})")
