from django.urls import path

from tenant_apps.inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.buyer_inbox, name="inquiry-list"),
    path("new/", views.inquiry_create, name="new"),
    path("companies/<int:company_pk>/contact/", views.contact_reveal, name="contact-reveal"),
    path("<int:pk>/", views.inquiry_detail, name="inquiry-detail"),
    path("<int:pk>/reply/", views.inquiry_reply, name="inquiry-reply"),
    path("<int:pk>/quote/", views.inquiry_quote, name="inquiry-quote"),
    path("<int:pk>/status/", views.inquiry_status, name="inquiry-status"),
    path("<int:pk>/assign/", views.inquiry_assign, name="inquiry-assign"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("company/", views.company_inbox, name="company-inbox"),
    path("company/routing/", views.routing_rules, name="routing-rules"),
    path("company/routing/<int:pk>/delete/", views.routing_rule_delete, name="routing-rule-delete"),
    path("company/statistics/", views.company_statistics, name="company-statistics"),
]
