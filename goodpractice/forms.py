"""The public submission form: the practice's fields, the submitter, files and a honeypot."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from portal.models import County, Organisation
from portal.organisations import CurrentOrganisationChoices
from portal.uploads import check_upload
from portal.widgets import FilterableCheckboxSelectMultiple

from .models import PracticePage, TargetGroup, Theme

MAX_FILES = 5
MAX_LINKS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SubmissionForm(CurrentOrganisationChoices, forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Municipalities and organisations"),
        queryset=Organisation.objects.order_by("name"),
        widget=FilterableCheckboxSelectMultiple,
        help_text=_("Choose one or more."),
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        help_text=_("Filled in from the municipality when left empty."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Web addresses with more information, one per line."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to five files of at most 10 MB each: PDF, Word, Excel, PowerPoint, "
                    "OpenDocument, text or CSV."),
    )  # fmt: skip
    submitter_name = forms.CharField(label=_("Your name"), max_length=200)
    submitter_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a link to confirm the address and to follow your submission."),
    )
    # Humans never see this field (it is hidden with CSS and skipped by keyboard and screen
    # readers); form-filling robots do, and fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = PracticePage
        fields = PracticePage.SUBMITTER_FIELDS
        labels = {"title": _("Name of the practice")}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "what_was_done": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "lessons_learned": forms.Textarea(attrs={"rows": 4}),
            "cost_funding": forms.Textarea(attrs={"rows": 2}),
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "period_start": _("When did it start? (YYYY-MM-DD)"),
            "results": _("What changed, and how do you know? Figures, follow-ups, evaluations."),
        }

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["summary"].required = True
        self.fields["submitter_email"].widget.attrs["autocomplete"] = "email"
        self.fields["submitter_name"].widget.attrs["autocomplete"] = "name"
        if submission is not None:
            self.fields["attachments"].help_text = _(
                "Files already attached are kept; add more here."
            )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean_links(self):
        urls = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(urls) > MAX_LINKS:
            raise ValidationError(_("At most %(n)s links."), params={"n": MAX_LINKS})
        validate = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(
                    _("“%(url)s” is not a web address (it should start with https://)."),
                    params={"url": url},
                ) from None
        return urls

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise ValidationError(_("At most %(n)s files."), params={"n": MAX_FILES})
        for upload in files:
            check_upload(upload)
        return files

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end cannot be before the start."))
        return data

    def _post_clean(self):
        # The page is built by services.submission_save, not by the ModelForm.
        pass

    def full_clean(self):
        super().full_clean()
        # A browser never fills a file field in again, so a form sent back for another reason
        # says plainly that the files it carried were not kept.
        chosen = self.files.getlist(self.add_prefix("attachments")) if self.files else []
        if self._errors and chosen and "attachments" not in self._errors:
            self.add_error(
                "attachments",
                _("Your files were not kept because the form has errors: choose them again."),
            )
