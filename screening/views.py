"""Pages for officials who look after the lists: the sources and their versions, and one
version's entries. Both find what they show through the selectors."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import (
    VIEW_PERMISSION,
    list_entry_list,
    list_source_list_for_user,
    list_version_get_for_user,
    list_version_list_for_user,
)

VERSIONS_PER_PAGE = 25
ENTRIES_PER_PAGE = 50


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
def source_list(request: HttpRequest) -> HttpResponse:
    """Every source with its active version, and all versions (newest first, paged)."""
    source_code = request.GET.get("source", "")
    versions = list_version_list_for_user(user=request.user, source_code=source_code)
    page = Paginator(versions, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "sources": list_source_list_for_user(user=request.user),
        "source_code": source_code,
        "page": page,
    }
    return render(request, "screening/source_list.html", context)


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One version: its files, counts and differences, and its entries (paged, searchable)."""
    version = list_version_get_for_user(user=request.user, pk=pk)
    query = request.GET.get("q", "").strip()[:200]
    entries = list_entry_list(version=version, query=query)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    template = "screening/version_detail.html"
    if request.htmx:
        template += "#entries"
    return render(request, template, {"version": version, "query": query, "page": page})
