"""Reads of restricted-party lists that a user may see."""

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from exportgov.accounts.models import User

from .models import EntryName, ListEntry, ListSource, ListVersion

VIEW_PERMISSION = "screening.view_listversion"


def list_version_list_for_user(*, user: User, source_code: str = "") -> QuerySet[ListVersion]:
    """Versions the user may see (all of them with the global view permission), newest first."""
    if not user.is_authenticated:
        return ListVersion.objects.none()
    versions = get_objects_for_user(user, VIEW_PERMISSION, klass=ListVersion)
    if source_code:
        versions = versions.filter(source__code=source_code)
    return versions.select_related("source", "imported_by").order_by("-imported_at", "-id")


def list_version_get_for_user(*, user: User, pk: int) -> ListVersion:
    """One version the user may see (404 otherwise)."""
    return get_object_or_404(
        list_version_list_for_user(user=user).select_related("previous"), pk=pk
    )


def list_source_list_for_user(*, user: User) -> list[ListSource]:
    """Sources with at least one version the user may see, each with `active_versions`."""
    visible = list_version_list_for_user(user=user)
    active = visible.filter(status=ListVersion.Status.ACTIVE).order_by()
    return list(
        ListSource.objects.filter(versions__in=visible.order_by())
        .distinct()
        .order_by("code")
        .prefetch_related(Prefetch("versions", queryset=active, to_attr="active_versions"))
    )


def list_entry_list(*, version: ListVersion, query: str = "") -> QuerySet[ListEntry]:
    """Entries of a version (the caller has got the version through a selector above),
    those with a name or alias containing `query` (or with `query` as their entry id) when
    one is given, with their aliases."""
    entries = ListEntry.objects.filter(version=version)
    if query:
        matching = EntryName.objects.filter(version=version, name__icontains=query.strip())
        # The publisher's entry id finds the entry too (flags link to their entry this way).
        entries = entries.filter(Q(pk__in=matching.values("entry_id")) | Q(entry_id=query.strip()))
    aliases = EntryName.objects.exclude(kind=EntryName.Kind.PRIMARY).order_by("id")
    return entries.order_by("id").prefetch_related(
        Prefetch("names", queryset=aliases, to_attr="aliases")
    )


def list_version_active_get(*, source_code: str) -> ListVersion | None:
    """The version of a source now in force (for the matching engine; not user-facing)."""
    return (
        ListVersion.objects.select_related("source")
        .filter(source__code=source_code, status=ListVersion.Status.ACTIVE)
        .first()
    )
