"""The vocabulary of the access matrix: actors, routes and expected outcomes.

Rows live beside the code they cover (tests/licensing/access_*.py add theirs);
tests/test_access_matrix.py checks them all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from conftest import World

ACTORS = [
    "anonymous",
    "exporter",
    "other_exporter",
    "case_officer",
    "senior_official",
    "advisor",
    "appeals_reviewer",
    "policy_admin",
    "auditor",
]
SIGNED_IN = ACTORS[1:]
OFFICIALS_WHO_SEE_ORGANISATIONS = [
    "case_officer",
    "senior_official",
    "appeals_reviewer",
    "policy_admin",
    "auditor",
]
LOGIN_REDIRECT, API_UNAUTHENTICATED = 302, 401


@dataclass
class Route:
    name: str
    expect: dict[str, int | set[int]]
    kwargs: Callable[[World], dict] = lambda world: {}
    method: str = "get"
    data: dict = field(default_factory=dict)


def everyone(status: int | set[int]) -> dict:
    return dict.fromkeys(ACTORS, status)


def signed_in(status: int, anonymous: int = LOGIN_REDIRECT, **overrides: int) -> dict:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, status), **overrides}


def only(allowed: list[str], status: int, denied: int, anonymous: int = LOGIN_REDIRECT) -> dict:
    return {
        "anonymous": anonymous,
        **{actor: status if actor in allowed else denied for actor in SIGNED_IN},
    }
