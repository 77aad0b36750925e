"""The form for the follow-up of a matter raised with another organisation (kept apart from
forms.py, which models.py imports for the editor)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActionItem, MatterStatus


class MatterForm(forms.ModelForm):
    """The follow-up of a matter raised with another organisation."""

    class Meta:
        model = ActionItem
        fields = ["raised_on", "answer", "answered_on", "matter_status"]
        widgets = {
            "raised_on": forms.DateInput(attrs={"type": "date"}),
            "answered_on": forms.DateInput(attrs={"type": "date"}),
            "answer": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("matter_status")
        if status == MatterStatus.ANSWERED and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", _("Write the answer, or keep the matter as raised."))
        if cleaned.get("answer") and not cleaned.get("answered_on"):
            self.add_error("answered_on", _("Say when the answer came."))
        return cleaned
