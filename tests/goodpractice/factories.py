"""Good-practice test data: the catalogue page, practices published the way editors do, the
moderators, and the reference data (themes, target groups, municipalities) by name."""

import factory
from django.contrib.auth.models import Group
from django.utils.text import slugify

from goodpractice.models import PracticeIndexPage, PracticePage, TargetGroup, Theme
from goodpractice.services import catalogue_entry_sync, moderation_workflow
from portal.models import Organisation
from tests.factories import IndexPageFactory, PageFactory, UserFactory


def theme(name):
    return Theme.objects.get(name=name)


def target_group(name):
    return TargetGroup.objects.get(name=name)


def municipality(name):
    return Organisation.objects.get(name=name)


class ModeratorFactory(UserFactory):
    email = "moderator@example.org"
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name="Moderators"))


class PracticeIndexPageFactory(IndexPageFactory):
    """The catalogue, with the moderation workflow submissions go through."""

    class Meta:
        model = PracticeIndexPage

    title = "Goda exempel"
    slug = "goda-exempel"
    show_in_menus = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        index = super()._create(model_class, *args, **kwargs)
        moderation_workflow()
        return index


class PracticePageFactory(PageFactory):
    """A practice in the catalogue. Organisations, themes and target groups may be given by
    name; the county follows the first organisation that has one. `revision=False` skips the
    revision (and writes the catalogue row directly) for tests that need many."""

    class Meta:
        model = PracticePage

    parent = factory.SubFactory(PracticeIndexPageFactory)
    title = factory.Sequence(lambda n: f"Exempel {n}")
    slug = factory.LazyAttributeSequence(lambda page, n: f"{slugify(page.title)[:50]}-{n}")
    summary = "Ett exempel."

    @classmethod
    def _create(cls, model_class, *args, revision=True, **kwargs):
        for field, by_name in (
            ("organisations", municipality),
            ("themes", theme),
            ("target_groups", target_group),
        ):
            values = kwargs.get(field, ())
            kwargs[field] = [by_name(v) if isinstance(v, str) else v for v in values]
        if kwargs.get("county") is None:
            counties = [o.county for o in kwargs["organisations"] if o.county_id]
            kwargs["county"] = counties[0] if counties else None
        page = super()._create(model_class, *args, revision=revision, **kwargs)
        if not revision and page.live:
            catalogue_entry_sync(page=page)
        return page
