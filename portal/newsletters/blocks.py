"""Blocks of a newsletter issue. Some write their own text; others pull current portal content.

What they pull is the issue's own site's (each regional body sends its own newsletter).
Each block has a web template (templates/newsletters/blocks/<type>.html) and e-mail templates
(templates/newsletters/email/blocks/<type>.html and .txt). Content-pulling blocks expose
`items(value, issue)`, the one query both renderings use.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from portal.blocks import CallToActionBlock, HeadingBlock


class PullBlock(blocks.StructBlock):
    """A block that lists the latest portal content of one kind."""

    heading = blocks.CharBlock(label=_("Heading"))
    count = blocks.IntegerBlock(label=_("How many"), default=3, min_value=1, max_value=10)

    def items(self, value, issue):
        """The pages to list: each kind of block answers with its selector."""
        return []

    @staticmethod
    def site_of(issue):
        from portal.sites import site_of_page

        return site_of_page(issue) if issue is not None and issue.path else None

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["items"] = self.items(value, (parent_context or {}).get("page"))
        return context


class LatestPracticesBlock(PullBlock):
    def items(self, value, issue):
        from .selectors import latest_practices

        return latest_practices(limit=value["count"], site=self.site_of(issue))

    class Meta:
        icon = "pick"
        template = "newsletters/blocks/items.html"
        label = _("Latest good practices")


class UpcomingEventsBlock(PullBlock):
    def items(self, value, issue):
        from .selectors import upcoming_public_events

        return upcoming_public_events(limit=value["count"], site=self.site_of(issue))

    class Meta:
        icon = "date"
        template = "newsletters/blocks/items.html"
        label = _("Upcoming public events")


class NewsPostsBlock(PullBlock):
    posts = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="portal.NewsPage", label=_("News post")),
        label=_("Chosen posts"),
        required=False,
        help_text=_("Leave empty to list the latest posts."),
    )

    def items(self, value, issue):
        from .selectors import news_posts

        return news_posts(
            chosen=value.get("posts") or [], limit=value["count"], site=self.site_of(issue)
        )

    class Meta:
        icon = "doc-full"
        template = "newsletters/blocks/items.html"
        label = _("News posts")


class NewMinutesBlock(PullBlock):
    """Titles and links of minutes published lately, in issues for one network's members only."""

    count = blocks.IntegerBlock(label=_("How many"), default=5, min_value=1, max_value=20)
    days = blocks.IntegerBlock(
        label=_("Published within the last days"), default=60, min_value=1, max_value=365
    )

    def items(self, value, issue):
        from .selectors import new_minutes

        network_id = issue.minutes_network_id() if issue is not None else None
        if network_id is None:
            return []
        return new_minutes(network_id=network_id, days=value["days"], limit=value["count"])

    class Meta:
        icon = "list-ul"
        template = "newsletters/blocks/items.html"
        label = _("New minutes (member issues only)")


class NewsletterBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["h3", "bold", "italic", "ol", "ul", "link"],
        template="blocks/paragraph.html",
    )
    call_to_action = CallToActionBlock()
    practices = LatestPracticesBlock()
    events = UpcomingEventsBlock()
    news = NewsPostsBlock()
    minutes = NewMinutesBlock()

    class Meta:
        label = _("Content")
