"""Reads shared by member-space views, coordinator tools, personal pages and exports.

Every list here costs a fixed number of queries, however many members a network has.
"""

import copy
import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page

from portal import versioned
from portal.models import Organisation

from . import access, models

DIRECTORY_SORTS = {
    "namn": ("user__first_name", "user__last_name", "user__email"),
    "organisation": ("organisation__name", "user__first_name", "user__last_name"),
    "roll": ("role", "user__first_name", "user__last_name"),
    "titel": ("user__job_title", "user__first_name", "user__last_name"),
}
ROLE_ORDER = [
    models.Role.COORDINATOR,
    models.Role.CHAIR,
    models.Role.SECRETARY,
    models.Role.MEMBER,
    models.Role.GUEST,
]


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
    members = models.Membership.objects.active().filter(network=network)
    for word in words.split()[:8]:
        match = Q()
        for field in DIRECTORY_SEARCH_FIELDS:
            match |= Q(**{f"{field}__icontains": word})
        members = members.filter(match)
    return members.select_related("user", "organisation", "user__organisation").order_by(*order)


@dataclass(frozen=True)
class Term:
    """A term as the networks plan their work: spring (VT, January–June) or autumn (HT,
    July–December) of a year. Written "2017HT" in addresses and exports."""

    year: int
    autumn: bool

    @classmethod
    def parse(cls, text: str) -> "Term | None":
        match = re.fullmatch(r"(\d{4})(VT|HT)", text.strip().upper())
        return cls(int(match[1]), match[2] == "HT") if match else None

    @classmethod
    def of(cls, day: date) -> "Term":
        return cls(day.year, day.month >= 7)

    @property
    def code(self) -> str:
        return f"{self.year}{'HT' if self.autumn else 'VT'}"

    @property
    def first_day(self) -> date:
        return date(self.year, 7 if self.autumn else 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 12, 31) if self.autumn else date(self.year, 6, 30)

    def previous(self) -> "Term":
        return Term(self.year, False) if self.autumn else Term(self.year - 1, True)


def membership_history(network, *, organisation_id=None, term: Term | None = None, role=""):
    """Every membership the network has had, ended ones too, with who added and who ended it,
    newest first. `term` keeps those that were in force for some day of it; an end date is the
    first day without access."""
    memberships = models.Membership.objects.filter(network=network)
    if organisation_id:
        memberships = memberships.filter(organisation_id=organisation_id)
    if role:
        memberships = memberships.filter(role=role)
    if term is not None:
        memberships = memberships.filter(start_date__lte=term.last_day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=term.first_day)
        )
    return memberships.select_related("user", "organisation", "added_by", "ended_by").order_by(
        "-start_date", "-pk"
    )


def membership_history_terms(network) -> list[Term]:
    """The terms from the network's first membership to this one, newest first."""
    first = models.Membership.objects.filter(network=network).order_by("start_date").first()
    if first is None:
        return []
    term, earliest, terms = Term.of(timezone.localdate()), Term.of(first.start_date), []
    while (term.year, term.autumn) >= (earliest.year, earliest.autumn):
        terms.append(term)
        term = term.previous()
    return terms


def membership_history_organisations(network):
    """The organisations that memberships of the network have represented, by name."""
    return Organisation.objects.filter(memberships__network=network).distinct().order_by("name")


def network_coordinators(network):
    return network_members(network).filter(role=models.Role.COORDINATOR)


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
        models.DocumentVersion.objects.filter(document=document).select_related(
            "archive", "archive__uploaded_by_user"
        )
    )


def _live_spaces() -> dict:
    """Every live member space by its network's tree path; the same for everyone, so each
    worker keeps it for as long as the content version holds (portal/versioned.py)."""
    return {space.path[: -Page.steplen]: space for space in models.MemberSpacePage.objects.live()}


def user_memberships(user) -> list:
    """The person's active memberships with their networks and member spaces (`.space`)."""
    memberships = list(
        models.Membership.objects.active()
        .filter(user=user)
        .select_related("network", "user__digest")
        .order_by("network__title")
    )
    access.remember_memberships(user, memberships)
    spaces = versioned.remembered("live-member-spaces", _live_spaces)
    for membership in memberships:
        # Each caller gets its own copy of the space it shows (a page a request may change).
        membership.space = copy.deepcopy(spaces.get(membership.network.path))
    return memberships


def user_pending_invitations(user):
    return (
        models.Invitation.objects.pending()
        .filter(email__iexact=user.email)
        .select_related("network")
        .order_by("expires_at")
    )


def user_join_requests(user):
    return (
        models.JoinRequest.objects.filter(user=user, status=models.JoinRequestStatus.PENDING)
        .select_related("network")
        .order_by("-created_at")
    )


def network_invitations(network):
    """Invitations split the way coordinators read them: pending, accepted, expired or revoked."""
    invitations = list(
        models.Invitation.objects.filter(network=network).select_related(
            "invited_by", "accepted_by"
        )
    )
    groups = {"pending": [], "accepted": [], "expired": [], "revoked": []}
    for invitation in invitations:
        groups[invitation.status].append(invitation)
    return groups


def network_join_requests(network):
    return (
        models.JoinRequest.objects.filter(network=network, status=models.JoinRequestStatus.PENDING)
        .select_related("user", "user__organisation")
        .order_by("created_at")
    )


def site_people(roots, *, chosen=()):
    """The accounts the admin offers for a site's records (a report's approvers, an external
    meeting's attendees): the active members of the networks of the sites with these root
    paths, their strategists, and those the record names already. Nobody else is listed."""
    from django.contrib.auth import get_user_model

    below = Q(pk__in=[])
    for root in roots:
        below |= Q(network__path__startswith=root)
    members = models.Membership.objects.active().filter(below).values("user_id")
    people = Q(pk__in=members) | Q(groups__in=access.strategist_group_ids(roots))
    return (
        get_user_model()
        .objects.filter((people & Q(is_active=True)) | Q(pk__in=list(chosen)))
        .distinct()
        .order_by("first_name", "last_name", "email")
    )
