"""Factories shared by every test module."""

import factory
from allauth.account.models import EmailAddress
from wagtail.models import Page, Site

from portal.models import HomePage, Organisation, User

PASSWORD = "ett-langt-testlosenord-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    kind = "municipality"


class UserFactory(factory.django.DjangoModelFactory):
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
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


def make_home_page() -> HomePage:
    """A home page as the default site's root, as a fresh install would have."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    root = Page.get_first_root_node()
    home = HomePage(title="Samverkansportalen", slug="start")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test"},
    )
    return home


def make_site(hostname: str, *, name: str, language: str = "", port: int = 80) -> Site:
    """A second (third...) regional site: its own home page at the tree's root, and settings."""
    from portal.site_settings import PortalSettings

    make_home_page()  # the default site comes first, as in any installation
    home = HomePage(title=name, slug=hostname.split(".")[0])
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=name)
    PortalSettings.objects.update_or_create(
        site=site, defaults={"organisation_name": name, "default_language": language}
    )
    return site
