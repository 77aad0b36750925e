"""Operations that change networks, memberships, invitations and join requests.

Keyword-only functions named `<thing>_<verb>`. Each keeps the derived state in step with the one
truth (the Membership table): the per-network coordinator group used by the Wagtail admin, and the
LOGIN view restrictions that keep member spaces out of Wagtail's `.public()` listings and sitemap.
"""

from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    PageViewRestriction,
)

from portal.accounts.selectors import address_verified
from portal.dates import iso
from portal.links import absolute_url
from portal.mail import mail_queue

from . import access
from .models import (
    INVITATION_VALID_FOR,
    Digest,
    DigestFrequency,
    DocumentVersion,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MemberSpacePage,
    NetworkPage,
    Role,
    new_token,
    token_hash,
)

COORDINATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
COORDINATOR_DOCUMENT_PERMISSIONS = ("add_document", "change_document", "choose_document")


# --- networks ------------------------------------------------------------------------------------


def network_create(
    *, index, title: str, slug: str = "", space_title: str = "", **fields
) -> NetworkPage:
    """Create and publish a network page with its member space, collection and coordinator group."""
    network = NetworkPage(title=title, slug=slug or None, **fields)
    if not network.slug:
        from django.utils.text import slugify

        network.slug = slugify(title)
    index.add_child(instance=network)
    network.save_revision().publish()
    return network_setup(network=network, space_title=space_title)


@transaction.atomic
def network_setup(*, network: NetworkPage, space_title: str = "") -> NetworkPage:
    """Give a network what it needs to be private; safe to run again (admin hooks call it too)."""
    network = NetworkPage.objects.get(pk=network.pk)
    space = network.member_space
    if space is None:
        space = MemberSpacePage(title=space_title or _("Member space"), slug="medlemmar")
        network.add_child(instance=space)
        space.save_revision().publish()
    member_space_protect(space=space)
    changed = []
    if network.collection_id is None:
        root = Collection.get_first_root_node()
        collection = root.add_child(name=_("Network: %(title)s") % {"title": network.title})
        network.collection = collection
        changed.append("collection")
    CollectionViewRestriction.objects.get_or_create(
        collection_id=network.collection_id,
        restriction_type=CollectionViewRestriction.LOGIN,
    )
    if network.coordinator_group_id is None:
        name = _("Coordinators: %(title)s") % {"title": network.title}
        group, _created = Group.objects.get_or_create(name=f"{name} ({network.pk})")
        network.coordinator_group = group
        changed.append("coordinator_group")
    if changed:
        # Saving the specific row only: a page save would create a revision nobody asked for.
        NetworkPage.objects.filter(pk=network.pk).update(
            **{f"{name}_id": getattr(network, f"{name}_id") for name in changed}
        )
    _grant_coordinator_permissions(network)
    coordinator_group_sync(network=network)
    return network


def member_space_protect(*, space) -> None:
    """A LOGIN restriction hides the space from `.public()` and the sitemap; membership decides."""
    PageViewRestriction.objects.get_or_create(
        page_id=space.pk, restriction_type=PageViewRestriction.LOGIN
    )


def _grant_coordinator_permissions(network: NetworkPage) -> None:
    group = network.coordinator_group
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    grants = (
        (GroupPagePermission, {"page_id": network.pk}, "wagtailcore", COORDINATOR_PAGE_PERMISSIONS),
        (
            GroupCollectionPermission,
            {"collection_id": network.collection_id},
            "wagtaildocs",
            COORDINATOR_DOCUMENT_PERMISSIONS,
        ),
    )
    for model, on, app_label, codenames in grants:
        for codename in codenames:
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            model.objects.get_or_create(group=group, permission=permission, **on)


def coordinator_group_sync(*, network: NetworkPage) -> None:
    """The admin group holds exactly the network's active coordinators (derived, never edited).

    Runs after every saved or deleted Membership (signal_handlers), whichever door changed it."""
    if network.coordinator_group_id is None:
        return
    coordinators = Membership.objects.active().filter(network=network, role=Role.COORDINATOR)
    network.coordinator_group.user_set.set(coordinators.values_list("user_id", flat=True))


def coordinator_groups_sync_for(*, user) -> bool:
    """Put `user` in exactly the admin groups of the networks they coordinate today.

    Memberships start and end on dates, not on saves, so a group synced at the last save can be
    a day out of date. The admin asks this on every request (networks.middleware), which makes
    admin rights follow the dates as exactly as the front end does. Returns whether it changed.
    """
    should = set(
        Membership.objects.active()
        .filter(user=user, role=Role.COORDINATOR, network__coordinator_group__isnull=False)
        .values_list("network__coordinator_group_id", flat=True)
    )
    network_groups = NetworkPage.objects.filter(coordinator_group__isnull=False).values(
        "coordinator_group_id"
    )
    has = set(user.groups.filter(pk__in=network_groups).values_list("pk", flat=True))
    if should == has:
        return False
    user.groups.remove(*(has - should))
    user.groups.add(*(should - has))
    # Permissions already read in this request were cached on the user object.
    for cached in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        if hasattr(user, cached):
            delattr(user, cached)
    return True


# --- memberships ---------------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *, network: NetworkPage, user, role: str = Role.MEMBER, organisation=None, added_by=None
):
    """Make `user` an active member (or give an existing active membership the new role).

    `added_by` is who let them in (the inviter, the coordinator who approved a request); it
    stays with the membership for its history."""
    membership = Membership.objects.active().filter(network=network, user=user).first()
    if membership is None:
        # A membership that is ending later (end_date in the future) is reopened, not duplicated.
        membership = Membership.objects.filter(
            network=network, user=user, end_date__isnull=True
        ).first() or Membership(network=network, user=user, start_date=timezone.localdate())
    membership.role = role
    membership.organisation = organisation or membership.organisation or user.organisation
    membership.end_date = None
    membership.ended_by = None
    if membership.pk is None:
        membership.added_by = added_by
    membership.save()
    access.forget(user)
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    membership.role = role
    membership.save(update_fields=["role"])
    access.forget(membership.user)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, on=None, ended_by=None) -> Membership:
    """End a membership today (kept as history, with who ended it): access goes at once."""
    membership.end_date = on or timezone.localdate()
    membership.ended_by = ended_by
    membership.save(update_fields=["end_date", "ended_by"])
    access.forget(membership.user)
    return membership


# --- invitations ---------------------------------------------------------------------------------


def invitation_url(token: str) -> str:
    return absolute_url(reverse("networks:invitation_accept", kwargs={"token": token}))


def _invitation_mail(invitation: Invitation, token: str) -> None:
    from portal.models import User

    existing = User.objects.filter(email__iexact=invitation.email).first()
    network = invitation.network
    mail_queue(
        template="networks_invitation",
        to=invitation.email,
        language=existing.preferred_language if existing else network.language,
        context={
            "network_title": network.title,
            "role": invitation.get_role_display(),
            "message": invitation.message,
            "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
            "url": invitation_url(token),
            "expires_at": invitation.expires_at,
            "has_account": existing is not None,
        },
        reply_to=[invitation.invited_by.email] if invitation.invited_by else None,
    )


@transaction.atomic
def invitation_create(
    *, network: NetworkPage, email: str, role: str = Role.MEMBER, message: str = "", invited_by
) -> Invitation:
    """Invite one address and e-mail the link; an older pending invitation is replaced."""
    email = email.strip().lower()
    network.invitations.pending().filter(email=email).update(revoked_at=timezone.now())
    token = new_token()
    invitation = Invitation.objects.create(
        network=network,
        email=email,
        role=role,
        message=message,
        invited_by=invited_by,
        token_hash=token_hash(token),
        expires_at=timezone.now() + INVITATION_VALID_FOR,
        sent_at=timezone.now(),
        send_count=1,
    )
    transaction.on_commit(lambda: _invitation_mail(invitation, token))
    return invitation


def invitations_create(
    *, network: NetworkPage, emails: list[str], role: str, message: str, invited_by
) -> list[Invitation]:
    return [
        invitation_create(
            network=network, email=email, role=role, message=message, invited_by=invited_by
        )
        for email in dict.fromkeys(e.strip().lower() for e in emails if e.strip())
    ]


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """A new link for 14 more days; the old link stops working (only one valid token at a time)."""
    if invitation.accepted_at:
        raise ValueError("An accepted invitation cannot be sent again.")
    token = new_token()
    invitation.token_hash = token_hash(token)
    invitation.expires_at = timezone.now() + INVITATION_VALID_FOR
    invitation.revoked_at = None
    invitation.sent_at = timezone.now()
    invitation.send_count += 1
    invitation.save()
    transaction.on_commit(lambda: _invitation_mail(invitation, token))
    return invitation


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


EXPIRED_INVITATIONS_KEPT_FOR = timedelta(days=90)


def invitations_purge_expired(*, older_than: timedelta = EXPIRED_INVITATIONS_KEPT_FOR) -> int:
    """Delete invitations that expired or were revoked long ago; returns how many.

    They name an address that never became a member; coordinators still see recent ones (to
    resend them). Accepted invitations stay: they are the history of a membership.
    """
    cutoff = timezone.now() - older_than
    unused = Invitation.objects.filter(accepted_at__isnull=True)
    stale = unused.filter(
        Q(revoked_at__lt=cutoff) | Q(revoked_at__isnull=True, expires_at__lt=cutoff)
    )
    deleted, _per_model = stale.delete()
    return deleted


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link points at, whatever its state (None for an unknown link)."""
    if not token:
        return None
    return Invitation.objects.select_related("network").filter(token_hash=token_hash(token)).first()


class InvitationForSomeoneElse(PermissionDenied):
    """The account has not proved the address the invitation was sent to."""


def invitation_is_for(*, invitation: Invitation, user) -> bool:
    """An invitation is for the account whose verified address is the invited one, so a
    forwarded link (a coordinator's, say) hands nothing to whoever holds it."""
    return address_verified(user, invitation.email)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Use the invitation once: the invited person becomes a member with the invited role.

    Refused (InvitationForSomeoneElse) for an account without the invited address verified.
    """
    if not invitation_is_for(invitation=invitation, user=user):
        raise InvitationForSomeoneElse
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_pending:
        raise ValueError("This invitation can no longer be used.")
    membership = membership_add(
        network=locked.network, user=user, role=locked.role, added_by=locked.invited_by
    )
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    invitation.accepted_at, invitation.accepted_by = locked.accepted_at, user
    return membership


# --- requests to join ----------------------------------------------------------------------------


def join_request_create(*, network: NetworkPage, user, message: str = "") -> JoinRequest:
    """Ask to join; the coordinators are told by e-mail. Asking twice keeps one pending request."""
    existing = JoinRequest.objects.filter(
        network=network, user=user, status=JoinRequestStatus.PENDING
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(network=network, user=user, message=message)
    except IntegrityError:
        return JoinRequest.objects.get(network=network, user=user, status=JoinRequestStatus.PENDING)
    coordinators = (
        Membership.objects.active()
        .filter(network=network, role=Role.COORDINATOR)
        .select_related("user")
    )
    recipients = [(m.user.email, m.user.preferred_language) for m in coordinators]
    if not recipients and network.contact_email:
        # A network run by a strategist without a coordinator membership: its public contact.
        recipients = [(network.contact_email, network.language)]
    manage_url = absolute_url(network.member_space.screen_url("manage"))
    for address, language in recipients:
        mail_queue(
            template="networks_join_request",
            to=address,
            language=language,
            context={
                "network_title": network.title,
                "requester": user.get_full_name() or user.email,
                "requester_email": user.email,
                "organisation": str(user.organisation or ""),
                "message": message,
                "url": manage_url,
            },
        )
    return join_request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, approve: bool, decided_by) -> JoinRequest:
    """Approve (membership as member) or decline; the requester is told by e-mail either way."""
    locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if locked.status != JoinRequestStatus.PENDING:
        return locked
    locked.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    locked.decided_at = timezone.now()
    locked.decided_by = decided_by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    network = locked.network
    if approve:
        membership_add(network=network, user=locked.user, role=Role.MEMBER, added_by=decided_by)
    space = network.member_space
    mail_queue(
        template="networks_join_decision",
        to=locked.user.email,
        language=locked.user.preferred_language,
        context={
            "network_title": network.title,
            "approved": approve,
            "url": absolute_url(space.url if approve and space else network.url),
        },
    )
    return locked


# --- documents -----------------------------------------------------------------------------------
#
# A network's library is its private collection: folders are sub-collections (private by the same
# rule, networks/access.py `network_id_for_collection`), and an earlier version of a document is
# a document of its own in the same folder, recorded by a DocumentVersion, so every file is served
# through the one download hook. Members are told of new documents and versions unless they
# turned the notice off for that network (Membership.document_notices).


def _library_folder(network: NetworkPage, folder) -> Collection:
    if network.collection_id is None:
        network = network_setup(network=network)
    if folder is None:
        return network.collection
    if access.network_id_for_collection(folder.pk) != network.pk:
        raise PermissionDenied("The folder is not in this network's library.")
    return folder


def document_folder_create(*, network: NetworkPage, name: str, parent=None) -> Collection:
    """A folder in the network's library, at the top or inside `parent` (one of its folders)."""
    # Fetched again: treebeard places the child by the parent's child count, which a parent
    # object read before another folder was made would give wrong (a path already taken).
    parent = Collection.objects.get(pk=_library_folder(network, parent).pk)
    return parent.add_child(name=name)


def document_upload(
    *, network: NetworkPage, title: str, file, uploaded_by, folder=None, notify: bool = True
):
    """Store a document in a folder of the network's library (served only through the serve
    view) and, with `notify`, tell the members who want to know."""
    Document = get_document_model()
    collection = _library_folder(network, folder)
    document = Document(title=title, file=file, collection=collection, uploaded_by_user=uploaded_by)
    document._set_document_file_metadata()
    document.save()
    if notify:
        document_notify(document=document, network=network, uploaded_by=uploaded_by)
    return document


@transaction.atomic
def document_version_add(*, network: NetworkPage, document, file, uploaded_by):
    """Replace the document's file with a new version; the file it had is kept as an earlier
    version (a document in the same folder, downloadable by members only). The document keeps
    its id, title and folder, so links to it lead to the newest file."""
    Document = get_document_model()
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if access.network_id_for_collection(locked.collection_id) != network.pk:
        raise PermissionDenied("The document is not in this network's library.")
    latest = locked.earlier_versions.order_by("-number").first()
    number = latest.number + 1 if latest else 1
    archive = Document.objects.create(
        title=f"{locked.title} (v{number})",
        file=locked.file.name,
        collection_id=locked.collection_id,
        uploaded_by_user=locked.uploaded_by_user,
        file_size=locked.file_size,
        file_hash=locked.file_hash,
    )
    # The archive's date is when its file came, not today (created_at is set on insert).
    Document.objects.filter(pk=archive.pk).update(
        created_at=latest.replaced_at if latest else locked.created_at
    )
    DocumentVersion.objects.create(
        document=locked, archive=archive, number=number, replaced_by=uploaded_by
    )
    locked.file = file
    locked.uploaded_by_user = uploaded_by
    locked._set_document_file_metadata()
    locked.save()
    document_notify(document=locked, network=network, uploaded_by=uploaded_by, new_version=True)
    return locked


def document_notify(*, document, network: NetworkPage, uploaded_by, new_version: bool = False):
    """E-mail the network's active members who keep the document notice on (not the uploader):
    the title, the folder and the link. Returns the number of recipients."""
    recipients = list(
        Membership.objects.active()
        .filter(network=network, document_notices=True, user__is_active=True)
        .exclude(user=uploaded_by)
        .values_list("user__email", "user__preferred_language")
        .order_by("user__email")
    )
    space = network.member_space
    if space is None:
        return 0
    context = {
        "title": document.title,
        "network_title": network.title,
        "folder": document.collection.name
        if document.collection_id != network.collection_id
        else "",
        "new_version": new_version,
        "url": absolute_url(space.screen_url("document_detail", document.pk)),
        "library_url": absolute_url(space.screen_url("documents")),
    }
    for email, language in recipients:
        mail_queue(template="networks_new_document", to=email, language=language, context=context)
    return len(recipients)


def document_notices_set(*, network: NetworkPage, user, on: bool) -> int:
    """Turn the new-document notice on or off for this person's membership of the network."""
    return (
        Membership.objects.active().filter(network=network, user=user).update(document_notices=on)
    )


def document_from_bytes(*, network: NetworkPage, title: str, name: str, data: bytes, uploaded_by):
    """A document made from bytes (demo content, fixtures): nobody is told."""
    return document_upload(
        network=network,
        title=title,
        file=ContentFile(data, name=name),
        uploaded_by=uploaded_by,
        notify=False,
    )


# --- a person's own data -------------------------------------------------------------------------


def _invitations_to(user):
    """Invitations addressed to this person: sent to their address, or used by them."""
    return Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user))


def personal_data_export(*, user) -> dict:
    """What the networks keep about a person, for their own copy (GDPR articles 15 and 20).

    Memberships include ended ones (they are kept as history). Invitations they sent are listed
    without the invitee's address: that address is the invitee's data, and what the sender is
    owed is the record of their own act. Nobody else is named (who invited them, who decided a
    request), and no invitation token (only its hash is stored, and that is a credential).
    With the digest chosen on Mina sidor: five queries, however many rows.
    """
    memberships = Membership.objects.filter(user=user).select_related("network", "organisation")
    received = _invitations_to(user).select_related("network")
    sent = Invitation.objects.filter(invited_by=user).select_related("network")
    join_requests = JoinRequest.objects.filter(user=user).select_related("network")

    def invitation(row: Invitation) -> dict:
        return {
            "network": row.network.title,
            "role": row.role,
            "status": row.status,
            "created_at": iso(row.created_at),
            "sent_at": iso(row.sent_at),
            "expires_at": iso(row.expires_at),
            "accepted_at": iso(row.accepted_at),
            "revoked_at": iso(row.revoked_at),
        }

    return {
        "memberships": [
            {
                "network": row.network.title,
                "role": row.role,
                "organisation": row.organisation.name if row.organisation else None,
                "start_date": iso(row.start_date),
                "end_date": iso(row.end_date),
                "active": row.is_active,
            }
            for row in memberships.order_by("start_date", "pk")
        ],
        "invitations_received": [invitation(row) for row in received.order_by("created_at", "pk")],
        "invitations_sent": [invitation(row) for row in sent.order_by("created_at", "pk")],
        "join_requests": [
            {
                "network": row.network.title,
                "message": row.message,
                "status": row.status,
                "created_at": iso(row.created_at),
                "decided_at": iso(row.decided_at),
            }
            for row in join_requests.order_by("created_at", "pk")
        ],
        "digest": Digest.objects.filter(user=user).values_list("frequency", flat=True).first()
        or DigestFrequency.NEVER,
    }


@transaction.atomic
def account_erase(*, user) -> None:
    """Before the account is deleted: remove what would keep the person's data in the networks.

    - Invitations addressed to them go (their address, and the history of memberships that go).
    - Memberships are deleted here rather than left to the cascade, so that no access check
      made later in the same deletion (by another app) is answered from them. Each deletion
      re-syncs that network's coordinator group (signal_handlers); the access cache on the user
      object is dropped.
    - Requests to join go with the account (CASCADE), as do the links to it from invitations
      they accepted or requests they decided (SET_NULL).
    - Invitations they sent stay, without the sender (SET_NULL): each is the invitee's record,
      and a pending one still lets the invitee join.

    Deleting a network's last coordinator is allowed: its requests to join then go to the
    network's contact address (join_request_create), and strategists run every network.
    """
    _invitations_to(user).delete()
    Membership.objects.filter(user=user).delete()
    access.forget(user)
