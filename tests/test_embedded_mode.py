"""Smoke test of the embedded mode of `make run`: SQLite, no Redis, a generated secret key.

Real subprocesses (migrate, seed_demo, runserver) run with nothing configured but a
temporary var/ folder, and a real HTTP client signs in as the demo exporter.
"""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from exportgov.accounts.management.commands.seed_demo import DEMO_PASSWORD

BASE_DIR = Path(__file__).resolve().parents[1]
MANAGE = str(BASE_DIR / "manage.py")
# Anything that would point the subprocesses away from the embedded defaults.
UNSET = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_READ_DOT_ENV_FILE",
    "EXPORTGOV_MEDIA_ROOT",
)
STARTUP_TIMEOUT = 30
COMMAND_TIMEOUT = 300


def embedded_environment(var_dir: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key not in UNSET}
    environment["DJANGO_SETTINGS_MODULE"] = "exportgov.settings.local"
    environment["EXPORTGOV_VAR_DIR"] = str(var_dir)
    environment["PYTHONUNBUFFERED"] = "1"
    return environment


def manage(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, MANAGE, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(args)} exited {result.returncode}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    return result


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def local_opener() -> urllib.request.OpenerDirector:
    """Cookies kept between requests; no proxy, whatever the environment says."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
    )


def wait_until_serving(server: subprocess.Popen, url: str, log: Path) -> None:
    opener = local_opener()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"runserver exited {server.returncode}:\n{log.read_text()}")
        try:
            with opener.open(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered, even if not with 200; the test asserts what it said
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"runserver did not answer within {STARTUP_TIMEOUT} s:\n{log.read_text()}")


def test_embedded_mode_migrates_seeds_serves_and_signs_in(tmp_path):
    var_dir = tmp_path / "var"
    environment = embedded_environment(var_dir)

    manage(environment, "migrate", "--noinput")
    seeded = manage(environment, "seed_demo")
    assert "exporter" in seeded.stdout
    assert DEMO_PASSWORD in seeded.stdout

    port = free_port()
    root = f"http://127.0.0.1:{port}"
    log = tmp_path / "runserver.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=BASE_DIR,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_serving(server, f"{root}/healthz", log)
        opener = local_opener()

        with opener.open(f"{root}/healthz", timeout=10) as response:
            health = json.load(response)
        assert health["status"] == "ok", health
        assert health["checks"]["database"]["vendor"] == "sqlite", health
        assert health["checks"]["redis"]["status"] == "embedded", health

        with opener.open(f"{root}/login/", timeout=10) as response:
            login_page = response.read().decode()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)
        assert match, "no CSRF token on the login page"

        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": match.group(1),
                "username": "exporter",
                "password": DEMO_PASSWORD,
            }
        ).encode()
        request = urllib.request.Request(f"{root}/login/", data=form, method="POST")
        request.add_header("Referer", f"{root}/login/")
        with opener.open(request, timeout=10) as response:
            final_url = response.geturl()
            dashboard = response.read().decode()
        assert urllib.parse.urlsplit(final_url).path == "/dashboard/", final_url
        assert "Northwind Instruments Ltd" in dashboard
        assert 'data-testid="panel-exporter"' in dashboard
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)

    assert (var_dir / "exportgov.sqlite3").is_file()
    assert (var_dir / "secret_key").is_file()
