"""The starter rule catalogue: at least one rule of every kind, each with a plain-language
public justification that cites its public source.

`rule_catalogue_seed(owner=...)` (screening.services.rules) creates the rules whose codes do
not exist yet; `manage.py seed_rules --owner EMAIL` and `seed_demo` call it. Policy admins
then edit the rules (each edit is a new version) on /screening/rules/.

Weights add up to the risk score (0-100, capped by the pipeline): a match on a sanctions list
weighs most, provenance signals least. Every rule runs for `SUNSET_YEARS` years unless a
sunset review renews it; the pilot rule (unsure due-diligence answers) runs for one year so
that its precision can be judged before anyone makes it live.
"""

from __future__ import annotations

from datetime import date, timedelta

SUNSET_YEARS = 2
KYC = "15 CFR Part 732, Supplement No. 3 (BIS “Know Your Customer” Guidance and Red Flags)"
DUE_DILIGENCE_CODES = (
    "reluctant_end_use",
    "capability_mismatch",
    "unusual_payment",
    "declines_support",
    "vague_delivery",
    "no_business_background",
    "evasive_answers",
)
ARMS_EMBARGO_SOURCE = (
    "Arms embargoes of the UN Security Council and of the EU (Council decisions under the "
    "Common Foreign and Security Policy); Council Common Position 2008/944/CFSP, Criterion One"
)

STARTER_RULES: list[dict] = [
    # --- restricted parties ---------------------------------------------------------------
    {
        "code": "party-match-un",
        "title": "Party on the UN Security Council Consolidated List",
        "kind": "party_match",
        "parameters": {"lists": ["un_sc"]},
        "weight": 60,
        "public_justification": (
            "Every party is checked against the UN Security Council Consolidated List: the "
            "people and entities subject to sanctions measures the Security Council imposed "
            "under Chapter VII of the UN Charter, which all UN member states must apply."
        ),
    },
    {
        "code": "party-match-ofac-sdn",
        "title": "Party on the US OFAC SDN List",
        "kind": "party_match",
        "parameters": {"lists": ["us_ofac_sdn"]},
        "weight": 50,
        "public_justification": (
            "Every party is checked against the Specially Designated Nationals and Blocked "
            "Persons List of the US Treasury's Office of Foreign Assets Control (31 CFR "
            "Chapter V), because dealings with listed persons are prohibited and a listing "
            "signals a high risk of diversion."
        ),
    },
    {
        "code": "party-match-eu",
        "title": "Party on the EU Consolidated Financial Sanctions List",
        "kind": "party_match",
        "parameters": {"lists": ["eu_fsf"]},
        "weight": 50,
        "public_justification": (
            "Every party is checked against the EU Consolidated Financial Sanctions List: the "
            "people and entities subject to EU restrictive measures adopted under Article 29 "
            "of the Treaty on European Union and Article 215 of the Treaty on the Functioning "
            "of the European Union."
        ),
    },
    {
        "code": "party-match-uk",
        "title": "Party on the UK sanctions list",
        "kind": "party_match",
        "parameters": {"lists": ["uk_ofsi"]},
        "weight": 50,
        "public_justification": (
            "Every party is checked against the UK's Consolidated List of Financial Sanctions "
            "Targets (HM Treasury, OFSI), made under the Sanctions and Anti-Money Laundering "
            "Act 2018."
        ),
    },
    {
        "code": "party-match-us-export-control",
        "title": "Party on a US export-control list (Entity List, Denied Persons List)",
        "kind": "party_match",
        "parameters": {"lists": ["us_bis_dpl", "us_csl"]},
        "weight": 50,
        "public_justification": (
            "Every party is checked against the US Commerce Department's export-control lists: "
            "the Entity List (15 CFR 744.11 and Supplement No. 4 to Part 744), whose parties "
            "need a licence for items subject to the EAR, and the Denied Persons List of "
            "persons whose export privileges are denied (15 CFR 736.2(b)(4), General "
            "Prohibition Four), as published in the Consolidated Screening List."
        ),
    },
    # --- destinations ----------------------------------------------------------------------
    {
        "code": "destination-embargoed",
        "title": "Embargoed destination",
        "kind": "destination",
        "parameters": {"embargoed": True},
        "weight": 60,
        "public_justification": (
            "Exports to a destination under a comprehensive embargo are examined closely: the "
            "Commerce Country Chart (Supplement No. 1 to 15 CFR Part 738) sends such "
            "destinations to 15 CFR Part 746 (Embargoes and Other Special Controls) instead "
            "of the chart's columns."
        ),
    },
    {
        "code": "destination-country-group-e",
        "title": "Destination in Country Group E:1 or E:2",
        "kind": "destination",
        "parameters": {"country_groups": ["E:1", "E:2"]},
        "weight": 40,
        "public_justification": (
            "Destinations in Country Group E:1 (terrorist supporting countries) and E:2 "
            "(unilaterally embargoed countries) of Supplement No. 1 to 15 CFR Part 740 are "
            "barred from most licence exceptions and receive the strictest review."
        ),
    },
    {
        "code": "destination-arms-embargo",
        "title": "Destination under an arms embargo",
        "kind": "destination",
        "parameters": {
            "arms_embargo": ["BY", "IR", "KP", "LY", "MM", "RU", "SD", "SS", "VE"],
            "arms_embargo_source": ARMS_EMBARGO_SOURCE,
        },
        "weight": 40,
        "public_justification": (
            "Destinations under a UN or EU arms embargo are flagged: Council Common Position "
            "2008/944/CFSP (Criterion One) requires export licences to respect these "
            "embargoes, and Regulation (EU) 2021/821, Article 4 requires an authorisation for "
            "unlisted items meant for military end use in such destinations."
        ),
    },
    # --- licence requirement -----------------------------------------------------------------
    {
        "code": "licence-required-country-chart",
        "title": "Licence required by the Commerce Country Chart",
        "kind": "licence_requirement",
        "parameters": {"flag_refer": True},
        "weight": 30,
        "public_justification": (
            "An item's reasons for control on the Commerce Control List, read against the "
            "destination's row of the Commerce Country Chart (15 CFR 738.4 and Supplement "
            "No. 1 to Part 738), show whether a licence is required; where the data cannot "
            "decide alone, an official looks."
        ),
    },
    # --- end use -----------------------------------------------------------------------------
    {
        "code": "end-use-military",
        "title": "Military end use declared or described",
        "kind": "end_use",
        "parameters": {
            "military_end_use": True,
            "phrases": [
                "military",
                "armed forces",
                "ministry of defence",
                "ministry of defense",
                "army",
                "navy",
                "air force",
                "weapon",
                "weapons",
                "munitions",
            ],
        },
        "weight": 30,
        "public_justification": (
            "A military end use needs a closer look: 15 CFR 744.21 restricts exports for "
            "military end uses and end users in certain countries, and Regulation (EU) "
            "2021/821, Article 4 requires an authorisation for unlisted items meant for "
            "military end use in an arms-embargoed destination."
        ),
    },
    {
        "code": "end-use-wmd",
        "title": "Weapons of mass destruction end use declared or described",
        "kind": "end_use",
        "parameters": {
            "wmd_end_use": True,
            "phrases": [
                "nuclear weapon",
                "nuclear weapons",
                "nuclear explosive",
                "uranium enrichment",
                "plutonium",
                "chemical weapon",
                "chemical weapons",
                "nerve agent",
                "biological weapon",
                "biological weapons",
                "ballistic missile",
                "ballistic missiles",
                "missile",
                "missiles",
            ],
        },
        "weight": 50,
        "public_justification": (
            "Items that may serve weapons of mass destruction or their delivery are always "
            "examined: 15 CFR 744.2, 744.3 and 744.4 (nuclear, rocket and unmanned aerial "
            "vehicle, chemical and biological end uses) and Regulation (EU) 2021/821, "
            "Article 4 (catch-all for such end uses)."
        ),
    },
    {
        "code": "end-use-reexport",
        "title": "Re-export intended or described",
        "kind": "end_use",
        "parameters": {
            "reexport_intended": True,
            "phrases": [
                "re-export",
                "reexport",
                "re-exported",
                "freight forwarder",
                "forwarding agent",
                "transshipment",
                "trans-shipment",
            ],
        },
        "weight": 15,
        "public_justification": (
            "Goods that travel on beyond the first consignee may reach an end user nobody "
            "assessed. Among the red flags of " + KYC + " are a freight forwarder named as "
            "the final destination and a buyer evasive about domestic use, export or re-export."
        ),
    },
    {
        "code": "end-use-kyc-red-flags",
        "title": "Know-your-customer red flags in the due-diligence answers",
        "kind": "end_use",
        "parameters": {"due_diligence": {code: ["yes"] for code in DUE_DILIGENCE_CODES}},
        "weight": 20,
        "public_justification": (
            "The due-diligence questions follow the red flags of " + KYC + ": a customer "
            "reluctant to state the end use, capabilities beyond its line of business, cash "
            "for an item usually financed, declined installation or training, vague delivery "
            "or delivery to a forwarder, little business background, and evasive answers."
        ),
    },
    {
        "code": "end-use-kyc-unsure",
        "title": "Unsure answers to the know-your-customer questions (pilot)",
        "kind": "end_use",
        "mode": "pilot",
        "sunset_years": 1,
        "parameters": {"due_diligence": {code: ["unsure"] for code in DUE_DILIGENCE_CODES}},
        "weight": 10,
        "public_justification": (
            "A pilot: an applicant who is unsure about one of the red flags of " + KYC + " may "
            "not know the customer well. The rule runs without affecting any decision so that "
            "its usefulness can be measured before it is applied."
        ),
    },
    # --- provenance --------------------------------------------------------------------------
    {
        "code": "provenance-new-exporter",
        "title": "New exporter",
        "kind": "provenance",
        "parameters": {"signal": "new_exporter", "new_exporter_days": 365},
        "weight": 10,
        "public_justification": (
            "An exporter's first application, or one from an organisation registered less "
            "than a year ago, has no compliance record to rely on, so the risk of diversion "
            "that Council Common Position 2008/944/CFSP (Criterion Seven) asks licensing "
            "authorities to weigh is checked more carefully."
        ),
    },
    {
        "code": "provenance-earlier-refusals",
        "title": "Earlier refusals of the applicant",
        "kind": "provenance",
        "parameters": {"signal": "earlier_refusals", "min_refusals": 1},
        "weight": 20,
        "public_justification": (
            "An applicant whose earlier applications were refused is checked so that a new "
            "application does not undo an earlier decision; the risk of diversion is weighed "
            "as Council Common Position 2008/944/CFSP (Criterion Seven) requires."
        ),
    },
    {
        "code": "provenance-party-in-refused-case",
        "title": "Party seen in a refused case",
        "kind": "provenance",
        "parameters": {"signal": "party_in_refused_case", "threshold": 0.9},
        "weight": 35,
        "public_justification": (
            "A consignee or end user that appeared in a refused application (of any "
            "applicant) is flagged so that the same party cannot be supplied through another "
            "route; names are compared with the screening engine, not by exact spelling."
        ),
    },
    # --- partner denials ---------------------------------------------------------------------
    {
        "code": "partner-denial",
        "title": "Partner state refused an essentially identical transaction",
        "kind": "partner_denial",
        "parameters": {"threshold": 0.9},
        "weight": 50,
        "public_justification": (
            "Partner states notify each other of the licences they refuse, and before "
            "approving an essentially identical transaction a state first consults the one "
            "that refused it (“no undercut”; Council Common Position 2008/944/CFSP, "
            "Article 4, and the practice of the multilateral export control regimes)."
        ),
    },
]


def starter_dates(spec: dict, today: date) -> tuple[date, date]:
    """The first day and the sunset of a starter rule seeded on `today`."""
    years = spec.get("sunset_years", SUNSET_YEARS)
    return today, today + timedelta(days=365 * years)
