"""The admin's base forms for records and pages that name organisations of the register: their
choosers offer today's organisations and those the record already names
(portal.organisations.CurrentOrganisationChoices)."""

from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from portal.organisations import CurrentOrganisationChoices


class OrganisationChoicesAdminForm(CurrentOrganisationChoices, WagtailAdminModelForm):
    pass


class OrganisationChoicesPageForm(CurrentOrganisationChoices, WagtailAdminPageForm):
    pass
