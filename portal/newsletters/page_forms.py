"""The issue's edit form in the Wagtail admin (kept apart from forms.py: models.py imports it)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class NewsletterIssueForm(WagtailAdminPageForm):
    """Minutes are member-only: an issue may list them only if every recipient may open them."""

    def clean(self):
        data = super().clean()
        has_minutes = any(block.block_type == "minutes" for block in data.get("body") or [])
        networks = list(data.get("audience_networks") or [])
        only_one_network = (
            len(networks) == 1
            and not data.get("audience_all_members")
            and not list(data.get("audience_lists") or [])
        )
        if has_minutes and not only_one_network:
            self.add_error(
                "body",
                _(
                    "New minutes can only be listed in an issue sent to the members of exactly "
                    "one network, and to no one else."
                ),
            )
        return data
