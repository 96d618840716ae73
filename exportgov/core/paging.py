"""Paging of list pages: the page size a request asks for, within bounds."""

from django.http import HttpRequest

PAGE_SIZE, MAX_PAGE_SIZE = 25, 100


def page_size(request: HttpRequest) -> int:
    """The `page_size` query parameter, between 1 and MAX_PAGE_SIZE (PAGE_SIZE if absent)."""
    try:
        size = int(request.GET.get("page_size", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return min(max(size, 1), MAX_PAGE_SIZE)
