"""The steps of the application form, in order, and the due-diligence questions."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    slug: str
    title: str


STEPS = [
    Step("applicant", "Applicant details"),
    Step("items", "Goods and technology"),
    Step("parties", "Destination and parties"),
    Step("end-use", "End use"),
    Step("documents", "Supporting documents"),
    Step("due-diligence", "Due diligence"),
    Step("review", "Review and declaration"),
]
STEP_SLUGS = [step.slug for step in STEPS]

# Know-your-customer questions, after the red flags that export control authorities publish
# (for example 15 CFR Part 732, Supplement No. 3). Each is answered yes / no / not sure.
DUE_DILIGENCE_QUESTIONS = [
    (
        "reluctant_end_use",
        "Has the customer been reluctant to say what the items will be used for?",
    ),
    (
        "capability_mismatch",
        "Do the items' capabilities go beyond what the customer's line of business needs?",
    ),
    (
        "unusual_payment",
        "Has the customer offered cash or unusual payment for an item usually financed?",
    ),
    (
        "declines_support",
        "Has the customer declined installation, training or maintenance that is normally wanted?",
    ),
    (
        "vague_delivery",
        "Are delivery dates vague, or is delivery to an unusual place such as a forwarder?",
    ),
    (
        "no_business_background",
        "Does the customer have little or no business background you can check?",
    ),
    (
        "evasive_answers",
        "Is the customer evasive about whether the items are for domestic use or re-export?",
    ),
]
DUE_DILIGENCE_ANSWERS = [("no", "No"), ("yes", "Yes"), ("unsure", "Not sure")]
