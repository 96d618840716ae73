"""Access-matrix rows for the public transparency pages (see tests/access.py): everyone,
signed in or not, may read the dashboard and download its figures."""

from tests.access import Route, everyone

ROUTES = [
    Route("transparency:dashboard", everyone(200)),
    Route("transparency:figures_csv", everyone(200)),
    Route("transparency:figures_json", everyone(200)),
]
