"""The end_use check: phrases (case- and accent-insensitive, on word boundaries) in the
end-use statement and item descriptions, due-diligence answers, declared end uses."""

from screening.checks import check_run, context_build
from screening.checks.end_use import fold
from screening.models import Rule
from tests.licensing.factories import DUE_DILIGENCE_ALL_NO, make_draft

from .factories import RuleFactory


def _rule(**parameters) -> Rule:
    return RuleFactory(kind=Rule.Kind.END_USE, parameters=parameters)


def _hits(rule, application):
    return check_run(rule=rule, context=context_build(application=application))


STATEMENT = "Test rigs for the MINISTRY OF DÉFENCE; later used for missiles guidance."


def test_end_use_check_phrases_ignore_case_and_accents(world):
    application = make_draft(world, end_use={"end_use_statement": STATEMENT})

    hits = _hits(_rule(phrases=["Ministry of Defence", "missiles"]), application)

    assert [hit.fingerprint for hit in hits] == [
        "end-use:phrase:ministry of defence",
        "end-use:phrase:missiles",
    ]
    assert hits[0].evidence["found"][0]["where"] == "end-use statement"
    assert "ministry of defence" in hits[0].evidence["found"][0]["excerpt"]


def test_end_use_check_phrases_respect_word_boundaries(world):
    application = make_draft(world, end_use={"end_use_statement": STATEMENT})

    # "missile" is not a word of the statement ("missiles" is); "army" is not in "armyworm".
    assert _hits(_rule(phrases=["missile", "defence ministry", "fence"]), application) == []


def test_end_use_check_phrases_are_found_in_item_descriptions(world):
    application = make_draft(
        world, item={"description": "Spare parts", "technical_description": "For a Drone fleet"}
    )

    [hit] = _hits(_rule(phrases=["drone"]), application)

    assert hit.evidence["found"] == [
        {"where": "item 1 technical description", "excerpt": "for a drone fleet"}
    ]


def test_end_use_check_due_diligence_red_flag_answers(world):
    answers = {**DUE_DILIGENCE_ALL_NO, "unusual_payment": "yes", "vague_delivery": "unsure"}
    application = make_draft(world, due_diligence=answers)

    hits = _hits(
        _rule(due_diligence={"unusual_payment": ["yes"], "vague_delivery": ["yes"]}), application
    )

    [hit] = hits
    assert hit.fingerprint == "end-use:due-diligence:unusual_payment"
    assert hit.evidence["answer"] == "yes"
    assert "cash" in hit.evidence["question"]


def test_end_use_check_declared_end_uses(world):
    application = make_draft(
        world, end_use={"military_end_use": True, "wmd_end_use": False, "reexport_intended": True}
    )

    hits = _hits(
        _rule(military_end_use=True, wmd_end_use=True, reexport_intended=True), application
    )

    assert [hit.fingerprint for hit in hits] == [
        "end-use:declared:military_end_use",
        "end-use:declared:reexport_intended",
    ]
    assert _hits(_rule(wmd_end_use=True), application) == []


def test_end_use_check_no_hit_for_a_clean_application(world):
    application = make_draft(world)  # radio telescopes, all due-diligence answers "no"
    rule = _rule(
        phrases=["missile", "military"],
        due_diligence={code: ["yes", "unsure"] for code in DUE_DILIGENCE_ALL_NO},
        military_end_use=True,
        wmd_end_use=True,
        reexport_intended=True,
    )

    assert _hits(rule, application) == []


def test_end_use_check_fingerprints_are_stable(world):
    application = make_draft(world, end_use={"end_use_statement": STATEMENT})
    rule = _rule(phrases=["missiles"])

    assert [h.fingerprint for h in _hits(rule, application)] == [
        h.fingerprint for h in _hits(rule, application)
    ]


def test_fold_removes_case_and_accents():
    assert fold("Défense ÉQUIPMENT Ångström") == "defense equipment angstrom"
