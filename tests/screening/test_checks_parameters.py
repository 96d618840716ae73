"""parameters_validate: one clear message per wrong key, defaults filled in."""

import pytest
from django.core.exceptions import ValidationError

from screening.catalogue import STARTER_RULES
from screening.checks import parameters_validate


def _errors(kind, parameters) -> dict:
    with pytest.raises(ValidationError) as caught:
        parameters_validate(kind, parameters)
    return caught.value.message_dict


def test_parameters_validate_fills_in_defaults(db):
    assert parameters_validate("party_match", {}) == {"lists": [], "threshold": None, "roles": []}
    assert parameters_validate("end_use", {"due_diligence": {"unusual_payment": "yes"}}) == {
        "phrases": [],
        "due_diligence": {"unusual_payment": ["yes"]},
        "military_end_use": False,
        "wmd_end_use": False,
        "reexport_intended": False,
    }


@pytest.mark.parametrize(
    ("kind", "parameters", "key", "fragment"),
    [
        ("party_match", {"lists": ["nope"]}, "lists", "Not a list source: nope"),
        ("party_match", {"threshold": 1.5}, "threshold", "less than or equal to 1"),
        ("party_match", {"roles": ["boss"]}, "roles", "item 1"),
        ("party_match", {"list": ["un_sc"]}, "list", "Not a parameter of this kind"),
        ("destination", {}, "parameters", "at least one of"),
        ("destination", {"arms_embargo": ["XX"]}, "arms_embargo", "Not a country code: XX"),
        ("destination", {"arms_embargo": ["KP"]}, "arms_embargo_source", "Cite the source"),
        ("destination", {"country_groups": ["E1"]}, "country_groups", "Not a Country Group"),
        ("licence_requirement", {"flag_refer": "perhaps"}, "flag_refer", "valid boolean"),
        ("end_use", {"due_diligence": {"bribes": "yes"}}, "due_diligence", "bribes"),
        ("end_use", {"due_diligence": {"unusual_payment": "maybe"}}, "due_diligence", "answer"),
        ("end_use", {"phrases": ["  "]}, "phrases", "blank"),
        ("provenance", {"signal": "gut_feeling"}, "signal", "not a valid choice"),
        ("provenance", {"signal": "new_exporter"}, "new_exporter_days", "Required with signal"),
        (
            "provenance",
            {"signal": "earlier_refusals", "min_refusals": 1, "threshold": 0.9},
            "threshold",
            "Not used with signal",
        ),
        ("partner_denial", {}, "threshold", "required"),
        ("partner_denial", [0.9], "parameters", "JSON object"),
        ("nonsense", {}, "kind", "not a rule kind"),
    ],
)
def test_parameters_validate_names_the_wrong_key(db, kind, parameters, key, fragment):
    errors = _errors(kind, parameters)
    assert key in errors, errors
    assert any(fragment in message for message in errors[key]), errors[key]


@pytest.mark.parametrize("spec", STARTER_RULES, ids=lambda spec: spec["code"])
def test_parameters_validate_accepts_the_starter_catalogue(db, spec):
    parameters_validate(spec["kind"], spec["parameters"])
