"""The site-wide pages: home, content pages and the news section (the integration blog)."""

from typing import ClassVar

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.search import NORMALISED_FIELD, NormalisedSearch

from .blocks import BodyBlock


class HomePage(NormalisedSearch, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields: ClassVar = [*Page.search_fields, index.SearchField("intro"), NORMALISED_FIELD]
    # One per regional body: each is the root page of one Wagtail Site (portal/sites.py).
    parent_page_types: ClassVar = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = (
            NewsPage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-date", "-pk")
            .defer_streamfields()[:3]
        )
        context["home_sections"] = [
            section
            for fn in hooks.get_hooks("portal_home_sections")
            if (section := fn(request)) is not None
        ]
        return context


class StandardPage(NormalisedSearch, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields: ClassVar = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        NORMALISED_FIELD,
    ]

    class Meta:
        verbose_name = _("content page")


class NewsIndexPage(NormalisedSearch, Page):
    search_fields: ClassVar = [*Page.search_fields, NORMALISED_FIELD]
    intro = models.TextField(_("introduction"), blank=True)
    per_page = 10

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro")]
    subpage_types: ClassVar = ["portal.NewsPage"]
    parent_page_types: ClassVar = ["portal.HomePage"]

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        posts = (
            NewsPage.objects.child_of(self)
            .live()
            .order_by("-date", "-pk")
            .defer_streamfields()
            .prefetch_related("tags")
        )
        tag = request.GET.get("tagg")
        if tag:
            posts = posts.filter(tags__slug=tag)
        context["tag"] = tag
        context["posts"] = Paginator(posts, self.per_page).get_page(request.GET.get("sida"))
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(NormalisedSearch, Page):
    date = models.DateField(_("date"))
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))

    content_panels: ClassVar = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields: ClassVar = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
        NORMALISED_FIELD,
    ]
    parent_page_types: ClassVar = ["portal.NewsIndexPage"]
    subpage_types: ClassVar = []

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
