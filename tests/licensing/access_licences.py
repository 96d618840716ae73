"""Access-matrix rows for these licensing pages (see tests/access.py)."""

from tests.access import Route

ROUTES: list[Route] = []
