"""Keep derived state in step: accounts made from invitations, and member-space restrictions."""

from allauth.account.signals import user_signed_up
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published

from .invitations import SIGNUP_LANDING_KEY, invitation_clear_session, invitation_from_session
from .models import DocumentVersion, Membership, MemberSpacePage, NetworkPage
from .services import (
    coordinator_group_sync,
    invitation_accept,
    invitation_is_for,
    member_space_protect,
)


@receiver(user_signed_up)
def accept_invitation_on_sign_up(request, user, **kwargs):
    invitation = invitation_from_session(request)
    if invitation is None or not invitation_is_for(invitation=invitation, user=user):
        return
    invitation_accept(invitation=invitation, user=user)
    invitation_clear_session(request)
    space = invitation.network.member_space
    if space is not None:
        request.session[SIGNUP_LANDING_KEY] = space.get_url(request)


@receiver(page_published, sender=MemberSpacePage)
def protect_member_space_on_publish(sender, instance, **kwargs):
    member_space_protect(space=instance)


@receiver(post_delete, sender=PageViewRestriction)
def keep_member_space_restriction(sender, instance, **kwargs):
    """An editor removing the LOGIN restriction would put the space back in public listings.

    Checked after commit: when the space itself is being deleted, its restriction goes first."""
    page_id = instance.page_id

    def restore():
        space = MemberSpacePage.objects.filter(pk=page_id).first()
        if space is not None:
            member_space_protect(space=space)

    transaction.on_commit(restore)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def keep_coordinator_group_in_step(sender, instance, **kwargs):
    """Front end, admin or shell: the admin group follows the Membership table."""
    network = NetworkPage.objects.filter(pk=instance.network_id).first()
    if network is not None:
        coordinator_group_sync(network=network)


@receiver(post_delete, sender=DocumentVersion)
def delete_the_earlier_file_with_its_version(sender, instance, **kwargs):
    """Deleting a document deletes its versions (cascade), and with them their files, which are
    documents of their own: none is left behind in the collection, unlisted but downloadable."""
    get_document_model().objects.filter(pk=instance.archive_id).delete()
