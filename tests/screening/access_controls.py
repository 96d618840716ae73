"""Access-matrix rows for the controls pages (see tests/access.py)."""

from tests.access import Route

ROUTES: list[Route] = []
