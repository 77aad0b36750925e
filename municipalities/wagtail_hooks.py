"""The admin: key figures, quotas, contact persons and reporting rounds, in one menu."""

from typing import ClassVar

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .forms import QuotaForm
from .models import ContactPerson, FigureType, FigureValue, ImportRun, Quota, ReportingRound


class FigureTypeViewSet(SnippetViewSet):
    model = FigureType
    icon = "table"
    menu_label = _("Key-figure types")
    list_display: ClassVar = ["name", "unit", "source", "visibility", "kolada_kpi"]
    search_fields: ClassVar = ["name", "definition"]


class FigureValueViewSet(SnippetViewSet):
    model = FigureValue
    icon = "table"
    menu_label = _("Key-figure values")
    list_display: ClassVar = ["organisation", "figure_type", "period", "gender", "age_group",
                              "value", "source", "retrieved_on"]  # fmt: skip
    list_filter: ClassVar = ["figure_type", "period"]
    list_export: ClassVar = list_display
    search_fields: ClassVar = ["organisation__name"]


class QuotaViewSet(SnippetViewSet):
    """Distribution figures keep their county's total: the form refuses a change that alters
    it and says by how much (services.county_total_check)."""

    model = Quota
    icon = "group"
    menu_label = _("Quotas")
    list_display: ClassVar = ["organisation", "year", "kind", "requested", "decided", "received",
                              "status"]  # fmt: skip
    list_filter: ClassVar = ["year", "kind", "status"]
    list_export: ClassVar = [*list_display, "note", "source", "retrieved_on"]
    search_fields: ClassVar = ["organisation__name"]
    edit_handler = ObjectList(
        [
            FieldPanel("organisation"),
            FieldRowPanel([FieldPanel("year"), FieldPanel("kind")]),
            FieldRowPanel([FieldPanel("requested"), FieldPanel("decided"), FieldPanel("received")]),
            FieldPanel("status"),
            FieldPanel("note"),
            FieldRowPanel([FieldPanel("source"), FieldPanel("retrieved_on")]),
        ],
        base_form_class=QuotaForm,
    )


class ContactPersonViewSet(SnippetViewSet):
    model = ContactPerson
    icon = "user"
    menu_label = _("Contact persons")
    list_display: ClassVar = ["organisation", "role", "display_name", "display_email"]
    list_filter: ClassVar = ["role"]
    search_fields: ClassVar = ["organisation__name", "name", "email"]


class ReportingRoundViewSet(SnippetViewSet):
    model = ReportingRound
    icon = "calendar-check"
    menu_label = _("Reporting rounds")
    list_display: ClassVar = ["title", "network", "period", "deadline"]


class ImportRunViewSet(SnippetViewSet):
    """Start an import (it runs in the background) and follow its progress in the list."""

    model = ImportRun
    icon = "download"
    menu_label = _("Imports")
    list_display: ClassVar = ["__str__", "status", "progress", "outcome", "finished_at"]
    list_filter: ClassVar = ["source", "status"]


@hooks.register("after_create_snippet")
def start_the_import(request, instance):
    if isinstance(instance, ImportRun):
        from .tasks import import_run

        transaction.on_commit(lambda: import_run.enqueue(run_id=instance.pk))


class MunicipalitiesGroup(SnippetViewSetGroup):
    menu_label = _("Municipalities")
    menu_icon = "site"
    menu_order = 250
    items = (
        QuotaViewSet,
        FigureTypeViewSet,
        FigureValueViewSet,
        ContactPersonViewSet,
        ReportingRoundViewSet,
        ImportRunViewSet,
    )


register_snippet(MunicipalitiesGroup)


@hooks.register("portal_personal_data")
def municipal_contact_data(user):
    from . import services

    return services.personal_data_export(user=user)


@hooks.register("portal_account_erasure")
def erase_municipal_contacts(user):
    from . import services

    services.account_erase(user=user)
