from django.urls import path

from shared_apps.finance import views

app_name = "finance"

# On the platform's host, under /finance/.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export/", views.ledger_export, name="ledger-export"),
    path("invoices/export/", views.invoice_export, name="invoice-export"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("reconciliation/run/", views.reconciliation_run, name="reconciliation-run"),
    path("reconciliation/export/", views.mismatch_export, name="mismatch-export"),
    path("reconciliation/<int:pk>/", views.mismatch_detail, name="mismatch-detail"),
    path("reports/", views.reports, name="reports"),
    path("stripe-events/", views.webhook_events, name="webhook-events"),
    path("stripe-events/<int:pk>/retry/", views.webhook_event_retry, name="webhook-event-retry"),
]

# On the platform's host, in the operators' console: who is finance staff.
console_urlpatterns = [
    path("", views.staff_list, name="staff-list"),
    path("<int:user_id>/revoke/", views.staff_revoke, name="staff-revoke"),
]

# On a programme's host, under /manage/: its administrators' read-only summary.
manage_urlpatterns = [
    path("", views.programme_summary, name="programme-summary"),
]
