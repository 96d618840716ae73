"""Flagging test data: rule versions, screening runs and flags.

RuleFactory(kind=..., parameters=...)        a current rule version, owned by a policy admin
ScreeningRunFactory(application=...)         a completed run of an application
FlagFactory(run=..., rule=...)               a pending live flag (shadow=True for a pilot)
"""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from exportgov.accounts.roles import Role
from screening.models import Flag, Rule, ScreeningRun


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


class PolicyAdminFactory(DjangoModelFactory):
    class Meta:
        model = "accounts.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = "rule-owner"
    email = "rule-owner@example.gov"

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if create:
            self.groups.add(Group.objects.get_or_create(name=Role.POLICY_ADMIN)[0])


class RuleFactory(DjangoModelFactory[Rule]):
    class Meta:
        model = Rule

    code = factory.Sequence(lambda n: f"rule-{n}")
    version = 1
    title = factory.LazyAttribute(lambda rule: f"Rule {rule.code}")
    kind = Rule.Kind.END_USE
    parameters = factory.LazyFunction(lambda: {"phrases": ["nuclear weapon"]})
    weight = 30
    public_justification = "Applications are checked for this red flag (15 CFR 732 Supp. 3)."
    mode = Rule.Mode.ACTIVE
    status = Rule.Status.CURRENT
    effective_from = factory.LazyFunction(lambda: days_from_today(-30))
    sunset_on = factory.LazyFunction(lambda: days_from_today(365))
    owner = factory.SubFactory(PolicyAdminFactory)


class ScreeningRunFactory(DjangoModelFactory[ScreeningRun]):
    class Meta:
        model = ScreeningRun

    trigger = ScreeningRun.Trigger.SUBMISSION
    status = ScreeningRun.Status.COMPLETED
    queued_at = factory.LazyFunction(timezone.now)
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)
    attempts = 1


class FlagFactory(DjangoModelFactory[Flag]):
    class Meta:
        model = Flag

    run = factory.SubFactory(ScreeningRunFactory)
    application = factory.LazyAttribute(lambda flag: flag.run.application)
    rule = factory.SubFactory(RuleFactory)
    shadow = factory.LazyAttribute(lambda flag: flag.rule.mode == Rule.Mode.PILOT)
    weight = factory.LazyAttribute(lambda flag: flag.rule.weight)
    fingerprint = factory.Sequence(lambda n: f"subject-{n}")
    summary = "The end-use statement mentions a red-flag phrase."
    evidence = factory.LazyFunction(lambda: {"phrase": "nuclear weapon"})
