"""The Celery app. Beat schedules are declared here, in code."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exportgov.settings.local")

app = Celery("exportgov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "licence-expire-due": {
        # Shortly after midnight: licences whose expiry date has passed become expired.
        "task": "licensing.tasks.licence_expire_due",
        "schedule": crontab(hour=0, minute=15),
    },
    "screening-sweep-stuck": {
        # Every minute: re-queue screening runs stuck in the queue or on a lost worker.
        "task": "screening.tasks.screening_sweep_stuck",
        "schedule": 60.0,
    },
    "list-fetch-all": {
        # Early morning: fetch each restricted-party list that has a configured URL.
        "task": "screening.tasks.list_fetch_all",
        "schedule": crontab(hour=5, minute=0),
    },
    "rules-lapse-due": {
        # Just after midnight: rule versions whose sunset passed with no decision lapse.
        "task": "screening.tasks.rules_lapse_due",
        "schedule": crontab(hour=0, minute=30),
    },
    "control-datasets-lapse-due": {
        # Just after midnight: control data whose sunset passed with no decision lapses.
        "task": "screening.tasks.control_datasets_lapse_due",
        "schedule": crontab(hour=0, minute=35),
    },
    "sunset-reviews-open-due": {
        # Early morning: open sunset reviews of rules and control data nearing their sunset;
        # owners (for control data, all policy admins) notified.
        "task": "screening.tasks.sunset_reviews_open_due",
        "schedule": crontab(hour=6, minute=0),
    },
}
