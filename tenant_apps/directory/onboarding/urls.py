from django.urls import path, register_converter

from tenant_apps.directory.onboarding import views


class SpreadsheetFormat:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SpreadsheetFormat, "spreadsheet")

app_name = "onboarding"

urlpatterns = [
    path("", views.import_start, name="import-start"),
    path("template.<spreadsheet:fmt>", views.import_template, name="import-template"),
    path("export/", views.directory_export, name="directory-export"),
    path("<uuid:public_id>/", views.import_preview, name="import-preview"),
    path("<uuid:public_id>/confirm/", views.import_confirm, name="import-confirm"),
]
