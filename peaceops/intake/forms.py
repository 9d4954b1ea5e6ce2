from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV UTF-8, XLSX or HXL CSV)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PEACEOPS_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("The file is %(size)s; at most %(limit)s can be imported at once. Split "
                                          "it into parts and import each.")
                                        % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
        return upload


def row_form(columns, values: dict):
    """A form with one text field per column of the importer, filled with the quarantined row's values."""
    fields = {c.name: forms.CharField(label=c.name + (f"  {c.hxl}" if c.hxl else ""), required=False,
                                      initial=values.get(c.name, "")) for c in columns}
    return type("QuarantinedRowForm", (forms.Form,), fields)


def upload_form(spec):
    """The upload form, with one required field for each parameter the importer declares (e.g. the convoy)."""
    fields = {name: forms.CharField(label=label, max_length=200) for name, label in spec.parameters}
    return type("ImportUploadForm", (UploadForm,), fields)
