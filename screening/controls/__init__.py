"""Control data and licence determination.

- importers: parsing the control-data files (CCL, Country Chart, Country Groups, licence
  exceptions, EU Annex I) into unsaved rows; `reasons_normalise`, `country_code`
- lookup: the active datasets in a per-process snapshot; `chart_row_for`,
  `country_groups_of`, `control_code_search`
- determination: `licence_determine` and its `Determination`
The writes (importing a file as a dataset) are in screening.services.controls.
"""

from .determination import ControlDataMissingError, Determination, ReasonResult, licence_determine
from .lookup import (
    active_control_datasets,
    chart_row_for,
    control_code_parse,
    control_code_search,
    country_groups_of,
)

__all__ = [
    "ControlDataMissingError",
    "Determination",
    "ReasonResult",
    "active_control_datasets",
    "chart_row_for",
    "control_code_parse",
    "control_code_search",
    "country_groups_of",
    "licence_determine",
]
