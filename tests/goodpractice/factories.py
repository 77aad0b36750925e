"""Good-practice test data: the catalogue page, practices published the way editors do, and the
reference data (themes, target groups, municipalities) by name."""

from django.contrib.auth.models import Group

from goodpractice.models import PracticeIndexPage, PracticePage, TargetGroup, Theme
from goodpractice.services import moderation_workflow
from portal.models import Organisation
from tests.factories import UserFactory


def make_moderator():
    user = UserFactory(email="moderator@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def make_catalogue(home) -> PracticeIndexPage:
    index = PracticeIndexPage(title="Goda exempel", slug="goda-exempel", show_in_menus=True)
    home.add_child(instance=index)
    index.save_revision().publish()
    moderation_workflow()
    return index


def theme(name):
    return Theme.objects.get(name=name)


def target_group(name):
    return TargetGroup.objects.get(name=name)


def municipality(name):
    return Organisation.objects.get(name=name)


def publish_practice(
    index,
    *,
    title,
    summary="Ett exempel.",
    organisations=(),
    themes=(),
    target_groups=(),
    revision=True,
    **fields,
):
    """A published practice; `revision=False` skips the revision for tests that need many."""
    page = PracticePage(title=title, summary=summary, **fields)
    page.organisations.set([municipality(n) if isinstance(n, str) else n for n in organisations])
    page.themes.set([theme(n) if isinstance(n, str) else n for n in themes])
    page.target_groups.set([target_group(n) for n in target_groups])
    if page.county is None:
        page.county = next((o.county for o in page.organisations.all() if o.county_id), None)
    if revision:
        index.add_child(instance=page)
        page.save_revision().publish()
    else:
        from django.utils import timezone

        from goodpractice.services import catalogue_entry_sync

        page.live = True
        page.first_published_at = timezone.now()
        index.add_child(instance=page)
        catalogue_entry_sync(page=page)
    return page
