"""Access-matrix rows for public consultations (see tests/access.py).

The public pages are for anyone, signed in or not. The admin pages are for holders of
screening.view_consultation (policy admins and auditors); only policy admins may open a
consultation. Every other signed-in role gets 403; anonymous visitors are sent to sign in.
"""

import datetime

from django.utils import timezone

from conftest import World
from tests.access import Route, everyone, only

CONSULTATION_VIEWERS = ["policy_admin", "auditor"]
CONSULTATION_OPENERS = ["policy_admin"]


def _consultation(world: World) -> dict:
    from screening.models import Consultation

    consultation = Consultation.objects.create(
        title="Widen the end-use phrases",
        proposal="Add two phrases.",
        rationale="They were seen in refused cases.",
        opened_at=timezone.now(),
        closes_on=timezone.localdate() + datetime.timedelta(days=20),
        opened_by=world.policy_admin,
    )
    return {"pk": consultation.pk}


ROUTES: list[Route] = [
    Route("controls:consultation_list", everyone(200)),
    Route("controls:consultation_detail", everyone(200), _consultation),
    Route("screening:consultation_list", only(CONSULTATION_VIEWERS, 200, 403)),
    Route("screening:consultation_create", only(CONSULTATION_OPENERS, 200, 403)),
    Route("screening:consultation_detail", only(CONSULTATION_VIEWERS, 200, 403), _consultation),
]
