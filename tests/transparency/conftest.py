"""December 2025, worked by hand: the cases behind the expected figures of the tests here.

The licensing calendar is GB/England: 25 and 26 December 2025 are public holidays (Thursday
and Friday). Working days count after submission up to and including the decision.

All medium tier; days = working days, paused days taken off; in time = by the deadline.

case  submitted   decided     paused  working days                          deadline    in time
A     Mon 1 Dec   Fri 5 Dec   0       2, 3, 4, 5 Dec = 4                    Fri 5 Dec   yes
B     Mon 15 Dec  Wed 31 Dec  0       16-19 (4), 22-24 (3), 25 and 26       Tue 30 Dec  no
                                      holidays, 29-31 (3) = 10
C     Mon 1 Dec   Fri 19 Dec  3       2-5 (4), 8-12 (5), 15-19 (5) = 14,    Fri 19 Dec  yes
                                      less 3 paused = 11
D     Wed 3 Dec   Wed 10 Dec  0       4, 5, 8, 9, 10 Dec = 5                Tue 9 Dec   no
E     Thu 11 Dec  Wed 31 Dec  0       12 (1), 15-19 (5), 22-24 (3),         Wed 31 Dec  yes
                                      29-31 (3) = 12
W     Mon 1 Dec   withdrawn Wed 10 Dec

A, B, C approved; D, E refused; W withdrawn. Turnaround 4, 5, 10, 11, 12: median 10, 90th
percentile 11 + 0.6 x (12 - 11) = 11.6. Within deadline 3 of 5 = 60%. Closed 6: approved
3 (50%), refused 2 (33.3%), withdrawn 1 (16.7%).

Live flags raised in December: the live rule R1 on A confirmed + dismissed, B confirmed,
C pending, D dismissed, E confirmed, W dismissed (7 flags; 6 disposed on 5 cases, 3 confirmed:
precision 50%), and the live rule R2 on C confirmed (1 case: suppressed). All live flags: 8 on
6 cases (1.33 per case), 7 disposed, 4 confirmed (57.1%). A pilot rule's shadow flag on A never
counts.
"""

import datetime
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from licensing.models import Application
from licensing.services import applications as application_services
from screening.models import Flag, Rule
from tests.licensing import factories as licensing
from tests.screening.factories import FlagFactory, RuleFactory, ScreeningRunFactory

DECEMBER = (datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
DEC_JAN = (datetime.date(2025, 12, 1), datetime.date(2026, 1, 31))
TODAY = datetime.datetime(2026, 1, 20, 12, tzinfo=datetime.UTC)

CASES = {
    # name: (status, submitted, decided, paused working days, deadline)
    "A": ("approved", (2025, 12, 1), (2025, 12, 5), 0, (2025, 12, 5)),
    "B": ("approved", (2025, 12, 15), (2025, 12, 31), 0, (2025, 12, 30)),
    "C": ("approved", (2025, 12, 1), (2025, 12, 19), 3, (2025, 12, 19)),
    "D": ("refused", (2025, 12, 3), (2025, 12, 10), 0, (2025, 12, 9)),
    "E": ("refused", (2025, 12, 11), (2025, 12, 31), 0, (2025, 12, 31)),
}
Disposition = Flag.Disposition


def at_noon(ymd: tuple[int, int, int]) -> datetime.datetime:
    return datetime.datetime(*ymd, 12, tzinfo=timezone.get_current_timezone())


@dataclass
class December:
    cases: dict[str, Application]
    rule: Rule
    other_rule: Rule


def _decided(world, name: str) -> Application:
    status, submitted, decided, paused, deadline = CASES[name]
    if name == "A":  # one of each decision through the real services, the rest set directly
        application = licensing.make_approved(world)
    elif name == "D":
        application = licensing.make_refused(world)
    else:
        application = licensing.make_submitted(world)
    Application.objects.filter(pk=application.pk).update(
        status=status,
        tier="medium",
        submitted_at=at_noon(submitted),
        decided_at=at_noon(decided),
        paused_working_days=paused,
        deadline_on=datetime.date(*deadline),
    )
    return Application.objects.get(pk=application.pk)


def _flag(application, rule, disposition=Disposition.PENDING) -> Flag:
    flag = FlagFactory(
        run=ScreeningRunFactory(application=application), rule=rule, disposition=disposition
    )
    Flag.objects.filter(pk=flag.pk).update(created_at=at_noon((2025, 12, 12)))
    return flag


def build_december(world) -> December:
    cases = {name: _decided(world, name) for name in CASES}
    withdrawn = licensing.make_submitted(world)
    with time_machine.travel(at_noon((2025, 12, 10)), tick=False):
        application_services.application_withdraw(actor=world.exporter, application=withdrawn)
    Application.objects.filter(pk=withdrawn.pk).update(
        tier="medium", submitted_at=at_noon((2025, 12, 1))
    )
    cases["W"] = Application.objects.get(pk=withdrawn.pk)

    rule, other_rule = RuleFactory(code="r1"), RuleFactory(code="r2")
    pilot = RuleFactory(code="r1-pilot", mode=Rule.Mode.PILOT)
    for name, disposition in [
        ("A", Disposition.CONFIRMED),
        ("A", Disposition.DISMISSED),
        ("B", Disposition.CONFIRMED),
        ("C", Disposition.PENDING),
        ("D", Disposition.DISMISSED),
        ("E", Disposition.CONFIRMED),
        ("W", Disposition.DISMISSED),
    ]:
        _flag(cases[name], rule, disposition)
    _flag(cases["A"], pilot, Disposition.CONFIRMED)
    _flag(cases["C"], other_rule, Disposition.CONFIRMED)
    return December(cases=cases, rule=rule, other_rule=other_rule)


@pytest.fixture
def december(world) -> December:
    return build_december(world)
