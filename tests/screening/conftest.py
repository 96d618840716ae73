"""Paths of the real list files (data/lists, copied into the repository) and of the small
hand-written fixtures, and one import of the biggest real files per module that needs them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

DATA = Path(settings.BASE_DIR) / "data" / "lists"
FIXTURES = Path(__file__).parent / "fixtures"

SDN_2024 = DATA / "us_ofac_sdn" / "2024-05-03" / "sdn.csv"
SDN_2021 = sorted((DATA / "us_ofac_sdn" / "2021-07").glob("*.csv"))
SDN_2025 = DATA / "us_ofac_sdn" / "2025-12"
CONS_CSV = sorted((DATA / "us_ofac_consolidated" / "2025-12").glob("cons_*.csv"))
CONS_XML = DATA / "us_ofac_consolidated" / "2025-01" / "CONS_ENHANCED.ZIP"
CSL = DATA / "us_csl" / "2022-05-16" / "consolidated.csv.gz"
DPL = DATA / "us_bis_dpl" / "2023-11" / "dpl.txt"
UN = DATA / "un_sc" / "2026-02-27" / "UN_consolidated.xml"

OFAC_V1 = sorted((FIXTURES / "ofac_sdn_v1").glob("*.csv"))
OFAC_V2 = sorted((FIXTURES / "ofac_sdn_v2").glob("*.csv"))
OFAC_MALFORMED = FIXTURES / "ofac_sdn_malformed" / "sdn.csv"
EU = FIXTURES / "eu_fsf.xml"
UK = FIXTURES / "uk_conlist.csv"
UN_MALFORMED = FIXTURES / "un_malformed.xml"
UN_ENTITY_BOMB = FIXTURES / "un_entity_bomb.xml"


# --- Control data (data/controls): the five real files, imported into the test database ---
CONTROLS = Path(settings.BASE_DIR) / "data" / "controls"


@pytest.fixture
def control_data(db) -> dict:
    """The real CCL, Country Chart, Country Groups, licence exceptions and EU Annex I, imported
    as active datasets; returns them by kind."""
    from screening.services.controls import control_data_import_all

    return {dataset.kind: dataset for dataset in control_data_import_all(folder=CONTROLS)}


@pytest.fixture(scope="module")
def module_control_data(django_db_setup, django_db_blocker) -> dict:
    """The same, imported once for a module of read-only tests (rolled back after it)."""
    from screening.services.controls import control_data_import_all

    with django_db_blocker.unblock(), transaction.atomic():
        yield {dataset.kind: dataset for dataset in control_data_import_all(folder=CONTROLS)}
        transaction.set_rollback(True)
