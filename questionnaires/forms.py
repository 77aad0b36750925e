"""The answer form: Wagtail's form builder, plus grouped rating matrices."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.utils import get_field_clean_name

from .models import MATRIX

FREE_TEXT = ("singleline", "multiline")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class Question:
    """One question as answered and reported: a form field, or a matrix of several rows."""

    label: str
    help_text: str
    kind: str
    columns: list[tuple[str, str]] = field(default_factory=list)  # (name in the data, row label)
    choices: list[str] = field(default_factory=list)

    @property
    def is_matrix(self) -> bool:
        return self.kind == MATRIX

    @property
    def is_free_text(self) -> bool:
        return self.kind in FREE_TEXT


def questions_of(form_fields) -> list[Question]:
    questions = []
    for f in form_fields:
        name = f.clean_name or get_field_clean_name(f.label)
        if f.field_type == MATRIX:
            columns = [(f"{name}__{n}", row) for n, row in enumerate(_lines(f.choices), 1)]
            choices = _lines(f.scale)
        else:
            columns = [(name, f.label)]
            choices = [c for c, _label in FormBuilder([f]).get_formatted_field_choices(f)]
            choices = choices if f.choices.strip() else []
        questions.append(Question(f.label, f.help_text, f.field_type, columns, choices))
    return questions


class QuestionnaireFormBuilder(FormBuilder):
    """A rating matrix becomes one radio group per row, named `<question>__<row number>`."""

    @property
    def formfields(self):
        result = {}
        for f in self.fields:
            if f.field_type != MATRIX:
                result.update(FormBuilder([f]).formfields)
                continue
            [question] = questions_of([f])
            for name, row in question.columns:
                result[name] = forms.ChoiceField(
                    label=row,
                    required=f.required,
                    choices=[(c, c) for c in question.choices],
                    widget=forms.RadioSelect,
                )
                result[name].group = f.label
                result[name].group_help = f.help_text
        return result


ANSWERER_FIELDS = ("answered_by_name", "answered_by_email")


def answer_form(page, *, data=None, initial=None, draft=False):
    """The page's questions and who answers. A draft may leave any question empty (what is
    filled in must still be valid); who answers is always asked for."""
    form = page.get_form(data, initial=initial or {}, page=page)
    if draft:
        for f in form.fields.values():
            f.required = False
    form.fields["answered_by_name"] = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    form.fields["answered_by_email"] = forms.EmailField(
        label=_("Your e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    return form


def answers_of(form) -> dict:
    """The cleaned answers as JSON keeps them (dates and numbers as text), without who answered."""
    return {
        name: value if isinstance(value, list | str | bool) or value is None else str(value)
        for name, value in form.cleaned_data.items()
        if name not in ANSWERER_FIELDS
    }


def sections_of(form) -> list[dict]:
    """The questions in order, a matrix's rows gathered under their question."""
    sections = []
    for bound in form:
        if bound.name in ANSWERER_FIELDS:
            continue
        group = getattr(bound.field, "group", None)
        if group and sections and sections[-1]["group"] == group:
            sections[-1]["fields"].append(bound)
        else:
            help_text = getattr(bound.field, "group_help", "")
            sections.append({"group": group, "help": help_text, "fields": [bound]})
    return sections
