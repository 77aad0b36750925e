"""The admin's rights on member-only pages pass through the one access rule.

Every page screen of the Wagtail admin (edit, history, revisions, compare, move, copy, delete,
unpublish, workflow) asks the page's permission tester. Rights a group holds on the tree above a
member space (an editor or moderator of the site) would otherwise open the space's meetings and
minutes to someone who is not a member. Here they count only where `access.can_view_page` says
yes: the network's members and coordinators, the strategists of its site, superusers.
"""

from wagtail.models import PagePermissionTester


class MemberContentPermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        from . import access

        if user.is_active and not user.is_superuser and not access.can_view_page(user, page):
            self.permissions = set()


class MemberContentRights:
    """For the page types a member space holds (and the space itself)."""

    def permissions_for_user(self, user):
        return MemberContentPermissionTester(user, self)
