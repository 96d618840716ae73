"""Rule kind `end_use`: red flags in what the applicant says about the end use.

Parameters: {"phrases": [...], "due_diligence": {question code: [red-flag answers]},
"military_end_use": bool, "wmd_end_use": bool, "reexport_intended": bool}.

Phrases are found in the end-use statement and in the items' descriptions, whatever the case
and accents, on word boundaries ("missile" is not found in "missiles"; write both if both
matter). Due-diligence questions are those of licensing.steps.DUE_DILIGENCE_QUESTIONS; a hit
when the applicant's answer is one the rule names. The three booleans hit when the applicant
declared that end use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from licensing.steps import DUE_DILIGENCE_QUESTIONS
from screening.models import Rule

from . import Hit
from .context import ScreeningContext

QUESTIONS = dict(DUE_DILIGENCE_QUESTIONS)
EXCERPT = 60
DECLARED = (
    ("military_end_use", "military end use"),
    ("wmd_end_use", "use in weapons of mass destruction or their delivery"),
    ("reexport_intended", "re-export"),
)


def fold(text: str) -> str:
    """Lower case without accents: the form phrases are looked for in."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=256)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in fold(phrase).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def end_use_texts(context: ScreeningContext) -> list[tuple[str, str]]:
    """(where, folded text) for the statement and each item's descriptions."""

    def build() -> list[tuple[str, str]]:
        texts = [("end-use statement", context.application.end_use_statement)]
        for position, item in enumerate(context.items, start=1):
            texts.append((f"item {position} description", item.description))
            texts.append((f"item {position} technical description", item.technical_description))
        return [(where, fold(text)) for where, text in texts if text and text.strip()]

    return context.fact("end_use_texts", build)


def end_use_check(*, rule: Rule, context: ScreeningContext) -> list[Hit]:
    parameters = rule.parameters
    application = context.application
    hits = []

    texts = end_use_texts(context)
    for phrase in parameters.get("phrases") or ():
        pattern = phrase_pattern(phrase)
        found = []
        for where, text in texts:
            match = pattern.search(text)
            if match:
                start, end = max(0, match.start() - EXCERPT), match.end() + EXCERPT
                found.append({"where": where, "excerpt": text[start:end].strip()})
        if found:
            places = ", ".join(place["where"] for place in found)
            hits.append(
                Hit(
                    fingerprint=f"end-use:phrase:{fold(phrase)}"[:150],
                    summary=f"The red-flag phrase “{phrase}” appears in the {places}."[:500],
                    evidence={"phrase": phrase, "found": found},
                )
            )

    answers = application.due_diligence or {}
    for code, red_flags in (parameters.get("due_diligence") or {}).items():
        answer = answers.get(code)
        if answer in red_flags:
            question = QUESTIONS.get(code, code)
            hits.append(
                Hit(
                    fingerprint=f"end-use:due-diligence:{code}",
                    summary=f"Due diligence: “{question}” answered “{answer}”."[:500],
                    evidence={
                        "question_code": code,
                        "question": question,
                        "answer": answer,
                        "red_flag_answers": list(red_flags),
                    },
                )
            )

    for field, label in DECLARED:
        if parameters.get(field) and getattr(application, field) is True:
            hits.append(
                Hit(
                    fingerprint=f"end-use:declared:{field}",
                    summary=f"The applicant declared {label}.",
                    evidence={"declared": field, "answer": True, "label": label},
                )
            )
    return hits
