import pytest
from django.core.management import call_command

from licensing.models import Application
from screening.models import Consultation, ConsultationComment, ListVersion

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_demo_cases_once(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):  # the (eager) screening task
        call_command("seed_demo", stdout=None)
    statuses = sorted(Application.objects.values_list("status", flat=True))
    call_command("seed_demo", stdout=None)

    assert statuses == ["draft", "draft", "triage", "triage"]
    assert Application.objects.count() == 4
    assert sorted(ListVersion.objects.values_list("source__code", flat=True)) == [
        "un_sc",
        "us_bis_dpl",
    ]
    consultation = Consultation.objects.get()  # one open consultation, not one per run
    assert (consultation.rule.code, consultation.status) == ("end-use-kyc-unsure", "open")
    assert sorted(ConsultationComment.objects.values_list("status", flat=True)) == [
        "pending",
        "published",
    ]
