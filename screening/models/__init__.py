"""The screening app's models, one module per concern:

- lists: restricted-party lists and their versions (ListSource, ListVersion, ListEntry, EntryName)
- controls: control data and country rules (ControlDataset and its rows)
- rules: the rule catalogue, partner denial notices and known false matches
- runs: screening runs, flags and re-screening batches
- notices: public notices of changes and the opt-in to have them emailed
- reviews: sunset reviews of rule versions and control datasets
- consultations: public consultations on proposed rule changes, and their comments
"""

from .consultations import Consultation, ConsultationComment
from .controls import (
    ControlDataset,
    ControlEntry,
    CountryChartRow,
    CountryGroupMembership,
    LicenceException,
    LicenceRequirement,
)
from .lists import EntryName, ListEntry, ListSource, ListVersion, Schema
from .notices import NoticeSubscription, PublicNotice
from .reviews import SunsetReview
from .rules import KnownFalseMatch, PartnerDenial, Rule
from .runs import Flag, RescreenBatch, ScreeningRun

__all__ = [
    "Consultation",
    "ConsultationComment",
    "ControlDataset",
    "ControlEntry",
    "CountryChartRow",
    "CountryGroupMembership",
    "EntryName",
    "Flag",
    "KnownFalseMatch",
    "LicenceException",
    "LicenceRequirement",
    "ListEntry",
    "ListSource",
    "ListVersion",
    "NoticeSubscription",
    "PartnerDenial",
    "PublicNotice",
    "RescreenBatch",
    "Rule",
    "Schema",
    "ScreeningRun",
    "SunsetReview",
]
