"""comptoir reports --month 2026-10 [--tenant slug] [--company id] [--send] [--output dir]

Generates any month's activity reports on demand: each supported company's and the
agency's, as PDF and CSV files (in the programme's default language), or with --send
e-mails them as the beat task on the 1st does (once per person and month).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django_tenants.utils import tenant_context

from tenant_apps.analytics import reports, services
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Generate (or e-mail with --send) the monthly activity reports of a month."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="the month, YYYY-MM")
        parser.add_argument("--tenant", help="one programme's slug (default: every programme with analytics)")
        parser.add_argument("--company", type=int, help="one company's id (needs --tenant); no agency report then")
        parser.add_argument("--send", action="store_true", help="e-mail the reports instead of writing files")
        parser.add_argument("--output", default="reports", help="folder for the files (default: ./reports)")

    def handle(self, *args, month, tenant, company, send, output, **options):
        try:
            period = reports.parse_month(month)
        except ValueError:
            raise CommandError("--month must read YYYY-MM, for example 2026-10.") from None
        if company is not None and not tenant:
            raise CommandError("--company needs --tenant.")
        programmes = Tenant.objects.programmes().filter(modules__contains=["analytics"])
        if tenant:
            programmes = programmes.filter(slug=tenant)
            if not programmes.exists():
                raise CommandError(f"No programme '{tenant}' with the analytics module.")
        for programme in programmes:
            with tenant_context(programme):
                services.refresh()
                if send:
                    sent = services.send_monthly_reports(tenant=programme, month=period,
                                                         company_ids=None if company is None else [company],
                                                         include_agency=company is None)
                    self.stdout.write(f"{programme.slug}: {sent} e-mails queued for {month}.")
                else:
                    written = self._write(programme, period, company, Path(output) / programme.slug / f"{period:%Y-%m}")
                    self.stdout.write(f"{programme.slug}: {written} files written in {Path(output) / programme.slug}.")

    def _write(self, programme, month, company_id, folder: Path) -> int:
        from tenant_apps.catalogue.models import SupportedCompany
        from tenant_apps.directory.models import Company

        folder.mkdir(parents=True, exist_ok=True)
        language = programme.default_language
        if company_id is not None:
            companies = list(Company.objects.filter(pk=company_id))
            if not companies:
                raise CommandError(f"No company {company_id} in {programme.slug}.")
        else:
            companies = [support.company for support in SupportedCompany.objects.select_related("company")]
        written = 0
        with translation.override(language):
            built = [(company, reports.company_report(company, month, tenant=programme)) for company in companies]
            if company_id is None:
                built.append((None, reports.programme_report(month, tenant=programme)))
            for company, report in built:
                for extension, content in (("pdf", reports.render_pdf(report, language=language)), ("csv", reports.render_csv(report))):
                    (folder / services.report_file_name(month=month, company=company, extension=extension)).write_bytes(content)
                    written += 1
        return written
