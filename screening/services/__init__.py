"""Every change the screening app makes, one module per concern:

- lists: importing, rejecting and fetching restricted-party list versions
- controls: importing control data (CCL, Country Chart, Country Groups, EU Annex I)
- rules: the rule catalogue (create, edit as a new version, partner denial notices)
- runs: the flagging pipeline (screening runs, flags, re-screening, the stuck-run sweeper)
- flags: officials' dispositions of flags and known false matches
"""

from .lists import (
    ListFetchError,
    list_download,
    list_fetch,
    list_fetch_all,
    list_fetch_urls,
    list_import_reject,
    list_version_import,
)

__all__ = [
    "ListFetchError",
    "list_download",
    "list_fetch",
    "list_fetch_all",
    "list_fetch_urls",
    "list_import_reject",
    "list_version_import",
]
