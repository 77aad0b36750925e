from django.utils.translation import gettext_lazy as _
from wagtail import blocks

MINUTES_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class AgendaSectionBlock(blocks.StructBlock):
    """One agenda item of the meeting: what was said and what was decided."""

    time = blocks.TimeBlock(label=_("time"), required=False)
    heading = blocks.CharBlock(label=_("agenda item"), max_length=255)
    speaker = blocks.CharBlock(label=_("presented by"), required=False, max_length=255)
    notes = blocks.RichTextBlock(
        label=_("notes"), required=False, features=MINUTES_RICH_TEXT_FEATURES
    )
    decisions = blocks.RichTextBlock(
        label=_("decisions"), required=False, features=MINUTES_RICH_TEXT_FEATURES
    )

    class Meta:
        icon = "list-ul"
        label = _("Agenda item")
        template = "minutes/blocks/agenda_section.html"


class AgendaBlock(blocks.StreamBlock):
    section = AgendaSectionBlock()
