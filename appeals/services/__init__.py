"""The appeal services (see the module docstrings): every write to an appeal.

appeal_start, appeal_save, appeal_document_add, appeal_lodge, appeal_withdraw   (filing)
appeal_assign, appeal_lateness_decide, appeal_information_request,
appeal_information_answer, appeal_decide                                         (review)
rule_appeal_record                                                              (learning)
"""

from .filing import (
    appeal_document_add,
    appeal_lodge,
    appeal_problems,
    appeal_save,
    appeal_start,
    appeal_withdraw,
)
from .learning import involved_rules_for, rule_appeal_record
from .review import (
    appeal_assign,
    appeal_decide,
    appeal_information_answer,
    appeal_information_request,
    appeal_lateness_decide,
)

__all__ = [
    "appeal_assign",
    "appeal_decide",
    "appeal_document_add",
    "appeal_information_answer",
    "appeal_information_request",
    "appeal_lateness_decide",
    "appeal_lodge",
    "appeal_problems",
    "appeal_save",
    "appeal_start",
    "appeal_withdraw",
    "involved_rules_for",
    "rule_appeal_record",
]
