from django.urls import path

from shared_apps.billing import views

app_name = "billing"

# The seller's pages, on the programme's host under /billing/.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("details/", views.account_details, name="account"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("change-plan/", views.change_plan, name="change-plan"),
    path("cancellation/", views.cancellation, name="cancellation"),
    path("card-portal/", views.portal, name="portal"),
    path("checkout/done/", views.checkout_done, name="checkout-done"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
]

# The programme's pages, under /manage/billing/.
manage_urlpatterns = [
    path("", views.manage_index, name="index"),
    path("plans/new/", views.plan_form, name="plan-create"),
    path("plans/<int:pk>/", views.plan_form, name="plan-edit"),
    path("prices/", views.company_prices, name="prices"),
    path("prices/<int:pk>/delete/", views.company_price_delete, name="price-delete"),
    path("settings/", views.billing_settings, name="settings"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice-detail"),
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/rerun/", views.event_rerun, name="event-rerun"),
]

# The operators' console, on the platform's host under /console/billing/.
console_urlpatterns = [
    path("programmes/<slug:slug>/plans/", views.console_plans, name="plans"),
    path("events/", views.console_event_list, name="events"),
    path("events/<int:pk>/rerun/", views.console_event_rerun, name="event-rerun"),
]

# Stripe's deliveries, on the platform's host.
webhook_urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
]
