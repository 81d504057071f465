"""Who sees which circulars, and who may write them (the pages, the API and delivery ask here).

| role        | sees                                                                                   |
| ----------- | -------------------------------------------------------------------------------------- |
| superuser   | every circular, drafts included                                                       |
| officer     | drafts of their own government; published circulars issued in their scope or by a    |
|             | government above them (those are addressed to them)                                   |
| agency user | published circulars issued in their agency's scope or above it                        |
| api client  | published circulars issued in their issuer's scope (API.md)                           |
| liaison     | none                                                                                  |

Only officers of the issuing government (and superusers) edit, publish and correct its circulars.
"""

from django.db.models import CharField, DateTimeField, OuterRef, Q, QuerySet, Subquery

from agencies.choices import UserRole

from .circular_models import Circular, CircularStatus


def _published_in(user, *, with_ancestors: bool) -> Q:
    agency = user.agency
    scope = Q(issuer__path__startswith=agency.path)
    if with_ancestors:
        scope |= Q(issuer_id__in=agency.ancestor_ids())
    return Q(status=CircularStatus.PUBLISHED) & scope


def circular_visibility_q(user) -> Q | None:
    """A filter on Circular keeping what the user may see; None means everything."""
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    if user.agency_id is None:
        return Q(pk__in=[])
    if user.role == UserRole.OFFICER:
        return Q(issuer_id=user.agency_id) | _published_in(user, with_ancestors=True)
    if user.role == UserRole.AGENCY:
        return _published_in(user, with_ancestors=True)
    if user.role == UserRole.API_CLIENT:
        return _published_in(user, with_ancestors=False)
    return Q(pk__in=[])


def can_read_circulars(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (
            user.is_superuser
            or (user.agency_id and user.role in (UserRole.OFFICER, UserRole.AGENCY, UserRole.API_CLIENT))
        )
    )


def can_manage_circulars(user) -> bool:
    """Officers (and superusers) write circulars; which ones is `can_manage_circular`."""
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or (user.role == UserRole.OFFICER and user.agency_id))
    )


def can_manage_circular(user, circular: Circular) -> bool:
    """Officers of the issuing government, and superusers."""
    if not can_manage_circulars(user):
        return False
    return user.is_superuser or circular.issuer_id == user.agency_id


def circulars_visible_to(user) -> QuerySet[Circular]:
    """The circulars the user may see, with what a list shows, in a constant number of queries:
    the issuer, the circular corrected, the publisher and the published correction (if any)."""
    condition = circular_visibility_q(user)
    queryset = Circular.objects.all() if condition is None else Circular.objects.filter(condition)
    correction = Circular.objects.filter(supersedes_id=OuterRef("pk"), status=CircularStatus.PUBLISHED)
    return queryset.select_related("issuer", "supersedes", "published_by").annotate(
        superseded_by_id=Subquery(correction.values("pk")[:1]),
        superseded_by_number=Subquery(correction.values("number")[:1], output_field=CharField()),
        superseded_at=Subquery(correction.values("published_at")[:1], output_field=DateTimeField()),
    )


def circular_for_user(user, pk: int) -> Circular:
    """One circular the user may see (Circular.DoesNotExist otherwise: a 404 for the caller)."""
    return circulars_visible_to(user).get(pk=pk)
