from django.urls import path

from shared_apps.privacy import views

app_name = "privacy"

urlpatterns = [
    path("cookies/", views.cookies, name="cookies"),
    path("my-data/", views.my_data, name="my-data"),
    path("my-data/export/", views.export_request, name="export-request"),
    path("my-data/export/<str:token>/", views.export_download, name="export-download"),
    path("my-data/erase/", views.erase_account, name="erase-account"),
    path("members/<int:pk>/erase/", views.erase_member, name="erase-member"),
]
