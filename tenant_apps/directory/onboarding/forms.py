from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.directory.onboarding import resources


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet to import"),
        help_text=_("A CSV file (comma or semicolon separated, UTF-8 or Windows encoding) or an Excel file (.xlsx), "
                    "at most 5 MB and 2,000 rows, with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv,"
                                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.file_format, self.rows = resources.read_upload(upload)
        except resources.ImportFileError as error:
            raise forms.ValidationError(error.messages, code=error.code) from error
        return upload


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")], required=False)
