"""Seed the managed catalogues: licence conditions and published refusal criteria.

Policy admins manage both in the admin afterwards (deactivate, add, reword); this gives a
new installation a working set. Re-running is harmless: rows are matched by code.
"""

from django.db import migrations

CONDITIONS = [
    (
        "no-reexport",
        "No re-export without authorisation",
        "The licensed items must not be re-exported, transferred or resold to any other country "
        "or end user without the prior written authorisation of the licensing authority.",
    ),
    (
        "stated-end-use-only",
        "Only for the stated end use",
        "The licensed items may be used only by the named end user and only for the end use "
        "stated in the application.",
    ),
    (
        "end-use-report-12-months",
        "End-use report after 12 months",
        "Twelve months after the first shipment the licence holder must send the licensing "
        "authority a report, confirmed by the end user, on where and how the items are used.",
    ),
    (
        "notify-end-user-change",
        "Notify changes of end user",
        "The licence holder must tell the licensing authority in writing, before any shipment, "
        "of any change to the end user, the consignee or their addresses.",
    ),
    (
        "post-shipment-verification",
        "Allow post-shipment verification",
        "The end user must allow officials of the licensing authority or its embassy to verify "
        "the presence and use of the licensed items on request.",
    ),
    (
        "keep-records-5-years",
        "Keep records for five years",
        "The licence holder must keep records of every shipment under this licence, including "
        "invoices and transport documents, for five years after the last shipment.",
    ),
]

CRITERIA = [
    (
        "diversion-risk",
        "Risk of diversion to an undesirable end user",
        "There is a clear risk that the items would be diverted within the buyer country, or "
        "re-exported, to an end user or end use other than the one stated in the application.",
    ),
    (
        "wmd-contribution",
        "Contribution to weapons of mass destruction",
        "The items could contribute to the development, production or use of chemical, "
        "biological or nuclear weapons, or of missiles capable of delivering them.",
    ),
    (
        "internal-repression",
        "Risk of use in internal repression",
        "There is a clear risk that the items might be used for internal repression or to "
        "commit serious violations of human rights in the country of final destination.",
    ),
    (
        "international-obligations",
        "Incompatible with international obligations and embargoes",
        "Granting the licence would be inconsistent with the country's international "
        "commitments, including arms embargoes, sanctions and non-proliferation treaties.",
    ),
    (
        "embargoed-military-end-use",
        "Military end use in an embargoed destination",
        "The items are or may be intended for a military end use in a destination subject to "
        "an arms embargo or to restrictive measures on military goods.",
    ),
]


def seed(apps, schema_editor):
    LicenceCondition = apps.get_model("licensing", "LicenceCondition")
    RefusalCriterion = apps.get_model("licensing", "RefusalCriterion")
    for code, title, text in CONDITIONS:
        LicenceCondition.objects.update_or_create(
            code=code, defaults={"title": title, "text": text, "active": True}
        )
    for code, title, description in CRITERIA:
        RefusalCriterion.objects.update_or_create(
            code=code, defaults={"title": title, "description": description, "active": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("licensing", "LicenceCondition").objects.filter(
        code__in=[code for code, _title, _text in CONDITIONS]
    ).delete()
    apps.get_model("licensing", "RefusalCriterion").objects.filter(
        code__in=[code for code, _title, _text in CRITERIA]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("licensing", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
