"""Run a benchmark against a scratch PostgreSQL database made for it and dropped afterwards."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
HERE = str(Path(__file__).resolve().parent)

# benchmarks/queue.py shares its name with the standard library's queue module, which Django
# and concurrent.futures import: every benchmark looks in this folder only after the standard
# library. (Each script imports this module before anything that imports queue.)
if HERE in sys.path:
    sys.path.remove(HERE)
    sys.path.append(HERE)


@contextmanager
def scratch_database(name: str) -> Iterator[None]:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exportgov.settings.test")
    import django
    from django.conf import settings

    settings.DATABASES["default"]["TEST"] = {"NAME": f"exportgov_bench_{name}"}
    django.setup()
    from django.db import connection

    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
