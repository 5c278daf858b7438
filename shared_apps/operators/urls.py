from django.urls import path

from shared_apps.operators import views

app_name = "operators"

urlpatterns = [
    path("", views.console, name="console"),
    path("tenants/new/", views.tenant_create, name="tenant-create"),
    path("tenants/<slug:slug>/", views.tenant_detail, name="tenant-detail"),
    path("tenants/<slug:slug>/status/", views.tenant_set_status, name="tenant-status"),
    path("tenants/<slug:slug>/delete/", views.tenant_delete, name="tenant-delete"),
]
