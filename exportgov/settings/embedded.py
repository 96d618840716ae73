"""The embedded default of `make run`: what to use when nothing is configured.

Kept apart from local.py so that the environment can be filled in before base.py reads it.
"""

import os
import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
EMBEDDED_REDIS_URL = "memory://"


def var_dir() -> Path:
    """The ignored folder holding the embedded database, secret key and uploads."""
    path = Path(os.environ.get("EXPORTGOV_VAR_DIR", BASE_DIR / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def generated_secret_key() -> str:
    """A secret key made once per checkout and kept in var/, never committed."""
    key_file = var_dir() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def fill_embedded_environment() -> None:
    """Use SQLite, an in-memory broker and a generated key where nothing is configured."""
    if os.environ.get("DJANGO_READ_DOT_ENV_FILE", "").lower() in ("1", "true", "yes", "on"):
        environ.Env.read_env(str(BASE_DIR / ".env"))  # what .env configures is not embedded
    os.environ.setdefault("DJANGO_SECRET_KEY", generated_secret_key())
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var_dir() / 'exportgov.sqlite3'}")
    os.environ.setdefault("REDIS_URL", EMBEDDED_REDIS_URL)
    os.environ.setdefault("EXPORTGOV_MEDIA_ROOT", str(var_dir() / "media"))
