from django.utils.translation import gettext_lazy as _
from wagtail import blocks

REPORT_RICH_TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class Figures:
    """The computed sections of the frozen figures a chapter may show (reports/selectors.py)."""

    NETWORKS = "networks"
    STEERING_GROUP = "steering_group"
    EVENTS = "events"
    KNOWLEDGE_MEETINGS = "knowledge_meetings"
    EXTERNAL_REGIONAL = "external_regional"
    EXTERNAL_NATIONAL = "external_national"
    KEY_FIGURES = "key_figures"
    ECONOMY = "economy"
    COMMUNICATION = "communication"
    QUOTES = "quotes"

    CHOICES = (
        (NETWORKS, _("The networks: meetings, participants, decisions, matters")),
        (STEERING_GROUP, _("The steering group's meetings")),
        (EVENTS, _("Seminars, forums and conferences")),
        (KNOWLEDGE_MEETINGS, _("Knowledge meetings")),
        (EXTERNAL_REGIONAL, _("Regional meetings attended")),
        (EXTERNAL_NATIONAL, _("National meetings attended")),
        (KEY_FIGURES, _("The municipalities' quotas and key figures")),
        (ECONOMY, _("The economy table")),
        (COMMUNICATION, _("Newsletters and good-practice cases")),
        (QUOTES, _("Quotes from questionnaires")),
    )
    # Sections of the frozen figures that regeneration compares (the economy is typed, the
    # quotes are chosen and read from the answers).
    COMPUTED = (
        NETWORKS,
        STEERING_GROUP,
        EVENTS,
        KNOWLEDGE_MEETINGS,
        EXTERNAL_REGIONAL,
        EXTERNAL_NATIONAL,
        KEY_FIGURES,
        COMMUNICATION,
    )


class ChapterBlock(blocks.StructBlock):
    """One chapter: its number and heading, the editor's text, and the figures it shows."""

    number = blocks.CharBlock(label=_("number"), max_length=10)
    heading = blocks.CharBlock(label=_("heading"), max_length=255)
    body = blocks.RichTextBlock(label=_("text"), required=False, features=REPORT_RICH_TEXT_FEATURES)
    figures = blocks.ChoiceBlock(label=_("figures shown"), choices=Figures.CHOICES, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Chapter")


class ChaptersBlock(blocks.StreamBlock):
    chapter = ChapterBlock()
