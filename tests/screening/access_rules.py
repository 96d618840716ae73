"""Access-matrix rows for the rules pages (see tests/access.py)."""

from tests.access import Route

ROUTES: list[Route] = []
