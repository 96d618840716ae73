"""The screening app's pages, one module per concern (lists; controls; rules; flags)."""

from .lists import search, source_list, version_detail

__all__ = ["search", "source_list", "version_detail"]
