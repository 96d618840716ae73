"""Access-matrix rows for the flags pages (see tests/access.py)."""

from tests.access import Route

ROUTES: list[Route] = []
