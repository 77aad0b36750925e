"""Factories for the portal's own models, and the page factory every app's factories build on.

Each app keeps its factories in tests/<app>/factories.py; tests and the bulk builders
(tests/*/bulk.py) construct objects only through them.
"""

from datetime import timedelta

import factory
import wagtail_factories
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from portal.models import HomePage, NewsIndexPage, NewsPage, Organisation, StandardPage, User

PASSWORD = "ett-langt-testlosenord-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    kind = "municipality"


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified address and the test password; `build()` (for bulk inserts)
    leaves the password unusable and hashes nothing."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    preferred_language = "sv"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        if not create:
            return
        self.set_password(extracted or PASSWORD)
        self.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=self, email=self.email, defaults={"verified": True, "primary": True}
        )


class PageFactory(wagtail_factories.PageFactory):
    """A page added under `parent` and published the way an editor publishes it (a revision,
    then publish). `publish=False` leaves a draft: not live, saved with its revision.
    `revision=False` only adds the page, live or not, for tests that need many. With
    `django_get_or_create = ("parent", "slug")` an existing page is returned as it is."""

    class Meta:
        abstract = True

    slug = factory.LazyAttribute(lambda page: slugify(page.title))

    @classmethod
    def _create(cls, model_class, *args, publish=True, revision=True, **kwargs):
        if not publish:
            kwargs["live"] = False
        elif not revision:
            kwargs.setdefault("first_published_at", timezone.now())
        page = super()._create(model_class, *args, **kwargs)
        if revision and page.latest_revision_id is None:
            saved = page.save_revision()
            if publish:
                saved.publish()
        return model_class.objects.get(pk=page.pk)


class IndexPageFactory(PageFactory):
    """A section's index page under the home page; the one that exists is returned as it is."""

    class Meta:
        abstract = True
        django_get_or_create = ("parent", "slug")

    parent = factory.LazyFunction(lambda: make_home_page())


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Sida {n}")


class NewsIndexPageFactory(IndexPageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Aktuellt"
    slug = "aktuellt"


class NewsPageFactory(PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Nyhet {n}")
    slug = factory.LazyAttributeSequence(lambda page, n: f"{slugify(page.title)[:40]}-{n}")
    date = "2017-02-01"


def news_posts(index, count, *, start=0, title="Nyhet {n}", **fields) -> list:
    """`count` news posts under `index`, one a day back from today, without revisions (fast)."""
    return [
        NewsPageFactory(
            parent=index,
            title=title.format(n=n),
            slug=f"nyhet-{n}",
            date=timezone.localdate() - timedelta(days=n),
            revision=False,
            **fields,
        )
        for n in range(start, start + count)
    ]


def make_home_page() -> HomePage:
    """A home page as the default site's root, as a fresh install would have."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    home = HomePageFactory(parent=Page.get_first_root_node())
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test"},
    )
    return home


def make_site(hostname: str, *, name: str, language: str = "", port: int = 80) -> Site:
    """A second (third...) regional site: its own home page at the tree's root, and settings."""
    from portal.site_settings import PortalSettings

    make_home_page()  # the default site comes first, as in any installation
    home = HomePageFactory(
        parent=Page.get_first_root_node(), title=name, slug=hostname.split(".")[0]
    )
    site = Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=name)
    PortalSettings.objects.update_or_create(
        site=site, defaults={"organisation_name": name, "default_language": language}
    )
    return site


class HomePageFactory(PageFactory):
    class Meta:
        model = HomePage

    title = "Samverkansportalen"
    slug = "start"
