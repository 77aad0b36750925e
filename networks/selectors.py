"""Reads shared by member-space views, coordinator tools, personal pages and exports.

Every list here costs a fixed number of queries, however many members a network has.
"""

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, Lower
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page

from . import access
from .models import (
    DocumentVersion,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MemberSpacePage,
    Role,
)

DIRECTORY_SORTS = {
    "namn": ("user__first_name", "user__last_name", "user__email"),
    "organisation": ("organisation__name", "user__first_name", "user__last_name"),
    "roll": ("role", "user__first_name", "user__last_name"),
    "titel": ("user__job_title", "user__first_name", "user__last_name"),
}
ROLE_ORDER = [Role.COORDINATOR, Role.CHAIR, Role.SECRETARY, Role.MEMBER, Role.GUEST]


DIRECTORY_SEARCH_FIELDS = (
    "user__first_name",
    "user__last_name",
    "user__job_title",
    "user__email",
    "organisation__name",
    "user__organisation__name",
)


def network_members(network, sort: str = "namn", descending: bool = False, words: str = ""):
    """Active memberships with person and organisation, sorted by a column of the directory.

    With `words`, only people matching every word in their name, title, e-mail address or
    organisation ("anna botkyrka" finds Anna from Botkyrka)."""
    fields = DIRECTORY_SORTS.get(sort, DIRECTORY_SORTS["namn"])
    order = [f"-{fields[0]}" if descending else fields[0], *fields[1:]]
    members = Membership.objects.active().filter(network=network)
    for word in words.split()[:8]:
        match = Q()
        for field in DIRECTORY_SEARCH_FIELDS:
            match |= Q(**{f"{field}__icontains": word})
        members = members.filter(match)
    return members.select_related("user", "organisation", "user__organisation").order_by(*order)


def network_coordinators(network):
    return network_members(network).filter(role=Role.COORDINATOR)


def network_folders(network):
    """The network's private collection and every folder (sub-collection) below it, in tree
    order; empty before the network has a collection."""
    if network.collection_id is None:
        return Collection.objects.none()
    return Collection.objects.filter(path__startswith=network.collection.path).order_by("path")


def network_folder(network, folder_id):
    """A folder of this network's library, or None (another network's, or no such folder)."""
    if access.network_id_for_collection(folder_id) != network.pk:
        return None
    return Collection.objects.filter(pk=folder_id).first()


DOCUMENT_SORTS = {"datum": "-changed_at", "namn": "title_lower"}


def network_documents(
    network, limit: int | None = None, *, folder=None, words: str = "", sort: str = "datum"
):
    """The network's documents, newest change first (or by name), each with `changed_at` (when
    its current file came) and `version`. In one folder, or in the whole library; earlier
    versions are not documents of their own here. With `words`, titles holding every word."""
    Document = get_document_model()
    if network.collection_id is None:
        return Document.objects.none()
    documents = Document.objects.filter(version_of__isnull=True)
    if folder is not None:
        documents = documents.filter(collection=folder)
    else:
        documents = documents.filter(collection__path__startswith=network.collection.path)
    for word in words.split()[:8]:
        documents = documents.filter(title__icontains=word)
    documents = documents.annotate(
        changed_at=Coalesce(Max("earlier_versions__replaced_at"), "created_at"),
        version=Count("earlier_versions") + 1,
        title_lower=Lower("title"),
    ).select_related("collection")
    documents = documents.order_by(DOCUMENT_SORTS.get(sort, "-changed_at"), "-pk")
    return documents[:limit] if limit else documents


def document_versions(document) -> list:
    """Earlier versions of a document, newest first, each with its file (`archive`)."""
    return list(
        DocumentVersion.objects.filter(document=document).select_related(
            "archive", "archive__uploaded_by_user"
        )
    )


def user_memberships(user) -> list:
    """The person's active memberships with their networks and member spaces (`.space`)."""
    memberships = list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("network")
        .order_by("network__title")
    )
    parent_paths = [m.network.path for m in memberships]
    spaces = {
        space.path[: -Page.steplen]: space
        for space in MemberSpacePage.objects.live().filter(
            depth__in={len(p) // Page.steplen + 1 for p in parent_paths}
        )
    }
    for membership in memberships:
        membership.space = spaces.get(membership.network.path)
    return memberships


def user_pending_invitations(user):
    return (
        Invitation.objects.pending()
        .filter(email__iexact=user.email)
        .select_related("network")
        .order_by("expires_at")
    )


def user_join_requests(user):
    return (
        JoinRequest.objects.filter(user=user, status=JoinRequestStatus.PENDING)
        .select_related("network")
        .order_by("-created_at")
    )


def network_invitations(network):
    """Invitations split the way coordinators read them: pending, accepted, expired or revoked."""
    invitations = list(
        Invitation.objects.filter(network=network).select_related("invited_by", "accepted_by")
    )
    groups = {"pending": [], "accepted": [], "expired": [], "revoked": []}
    for invitation in invitations:
        groups[invitation.status].append(invitation)
    return groups


def network_join_requests(network):
    return (
        JoinRequest.objects.filter(network=network, status=JoinRequestStatus.PENDING)
        .select_related("user", "user__organisation")
        .order_by("created_at")
    )
