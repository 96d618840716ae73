from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit log.

    Rows are only ever inserted by `audit_record`; the database refuses UPDATE and DELETE
    (a PostgreSQL trigger added by migration 0002), and each row's `hash` covers its content
    and the previous row's hash, so `verify_audit_chain` finds any row changed or forged.
    """

    class Verb(models.TextChoices):
        USER_LOGGED_IN = "user.logged_in", "Signed in"
        USER_LOGGED_OUT = "user.logged_out", "Signed out"
        USER_LOGIN_FAILED = "user.login_failed", "Sign-in failed"
        USER_PASSWORD_RESET = "user.password_reset", "Password reset"
        USER_CREATED = "user.created", "User created"
        USER_ROLES_SET = "user.roles_set", "Roles set"
        ORGANISATION_CREATED = "organisation.created", "Organisation created"
        MEMBER_INVITED = "organisation.member_invited", "Member invited"
        INVITATION_REVOKED = "organisation.invitation_revoked", "Invitation revoked"
        MEMBER_JOINED = "organisation.member_joined", "Member joined"
        MEMBER_REMOVED = "organisation.member_removed", "Member removed"
        TEAM_CREATED = "team.created", "Team created"
        TEAM_MEMBER_ADDED = "team.member_added", "Team member added"
        API_TOKEN_CREATED = "user.api_token_created", "API token created"
        APPLICATION_CREATED = "application.created", "Application started"
        APPLICATION_SAVED = "application.saved", "Draft saved"
        APPLICATION_COPIED = "application.copied", "Application copied"
        APPLICATION_SUBMITTED = "application.submitted", "Application submitted"
        SCREENING_STARTED = "application.screening_started", "Screening started"
        CASE_TRIAGED = "application.triaged", "Placed in the triage queue"
        SCREENING_FAILED = "application.screening_failed", "Screening failed"
        SCREENING_RETRIED = "application.screening_retried", "Screening started again"
        SCREENING_REQUEUED = "application.screening_requeued", "Stuck screening queued again"
        SCREENING_COMPLETED = "screening_run.completed", "Screening run completed"
        CASE_RETIERED = "application.retiered", "Risk tier changed"
        FLAGS_RAISED = "application.flags_raised", "New flags raised by re-screening"
        FLAG_CONFIRMED = "flag.confirmed", "Flag confirmed"
        FLAG_DISMISSED = "flag.dismissed", "Flag dismissed"
        FALSE_MATCH_RECORDED = "flag.false_match_recorded", "Known false match recorded"
        RULE_CREATED = "rule.created", "Rule created"
        RULE_VERSIONED = "rule.versioned", "Rule edited (new version)"
        RESCREEN_STARTED = "rescreen.started", "Re-screening started"
        CONTROL_DATA_IMPORTED = "control_dataset.imported", "Control data imported"
        PARTNER_DENIALS_IMPORTED = "partner_denial.imported", "Partner denial notices imported"
        APPEAL_CREATED = "appeal.created", "Appeal started"
        APPEAL_SAVED = "appeal.saved", "Appeal draft saved"
        APPEAL_DOCUMENT_UPLOADED = "appeal.document_uploaded", "Appeal document uploaded"
        APPEAL_LODGED = "appeal.lodged", "Appeal lodged"
        APPEAL_LODGED_LATE = "appeal.lodged_late", "Appeal lodged late, with a reason"
        APPEAL_LATENESS_ACCEPTED = "appeal.lateness_accepted", "Late appeal accepted"
        APPEAL_LATENESS_REJECTED = "appeal.lateness_rejected", "Late appeal not accepted"
        APPEAL_ASSIGNED = "appeal.assigned", "Appeal assigned to a reviewer"
        APPEAL_REASSIGNED = "appeal.reassigned", "Appeal reassigned"
        APPEAL_INFORMATION_REQUESTED = (
            "appeal.information_requested",
            "Appeal information requested",
        )
        APPEAL_INFORMATION_PROVIDED = "appeal.information_provided", "Appeal information provided"
        APPEAL_UPHELD = "appeal.upheld", "Appeal decided: upheld"
        APPEAL_OVERTURNED = "appeal.overturned", "Appeal decided: overturned"
        APPEAL_REMITTED = "appeal.remitted", "Appeal decided: remitted"
        APPEAL_WITHDRAWN = "appeal.withdrawn", "Appeal withdrawn"
        APPROVED_ON_APPEAL = "application.approved_on_appeal", "Approved on appeal"
        REOPENED_ON_APPEAL = "application.reopened_on_appeal", "Reopened on appeal"
        LICENCE_RESTORED = "licence.restored", "Licence restored on appeal"
        LICENCE_CONDITION_REMOVED = "licence.condition_removed", "Licence condition removed"
        FLAG_OVERTURNED = "flag.overturned", "Flag dismissed on appeal"
        FLAG_REOPENED = "flag.reopened", "Flag sent back for a fresh decision on appeal"
        CASE_ASSIGNED = "application.assigned", "Case assigned"
        REVIEW_STARTED = "application.review_started", "Review started"
        NOTE_ADDED = "application.note_added", "Note added"
        INFORMATION_REQUESTED = "application.information_requested", "Information requested"
        INFORMATION_PROVIDED = "application.information_provided", "Information provided"
        CONSULTATION_REQUESTED = "application.referred", "Referred for advice"
        ADVICE_GIVEN = "application.advice_given", "Advice given"
        CONSULTATION_ENDED = "application.consultation_ended", "Consultation ended"
        RECOMMENDED = "application.recommended", "Recommendation made"
        RECOMMENDATION_RETURNED = "application.returned", "Returned for further review"
        APPROVED = "application.approved", "Approved"
        REFUSED = "application.refused", "Refused"
        WITHDRAWN = "application.withdrawn", "Withdrawn"
        DOCUMENT_UPLOADED = "application.document_uploaded", "Document uploaded"
        LICENCE_ISSUED = "licence.issued", "Licence issued"
        LICENCE_SUSPENDED = "licence.suspended", "Licence suspended"
        LICENCE_REINSTATED = "licence.reinstated", "Licence reinstated"
        LICENCE_REVOKED = "licence.revoked", "Licence revoked"
        LICENCE_EXPIRED = "licence.expired", "Licence expired"
        LICENCE_EXHAUSTED = "licence.exhausted", "Licence used up"
        LICENCE_SUPERSEDED = "licence.superseded", "Licence replaced by an amendment"
        LICENCE_AMENDMENT_STARTED = "licence.amendment_started", "Amendment started"
        SHIPMENT_RECORDED = "licence.shipment_recorded", "Shipment recorded"
        LIST_VERSION_IMPORTED = "list_version.imported", "List version imported"
        LIST_IMPORT_REJECTED = "list_version.import_rejected", "List import rejected"
        NOTICE_PUBLISHED = "notice.published", "Public notice published"
        NOTICE_SUBSCRIPTION_CHANGED = "notice.subscription_changed", "Notice email opt-in changed"
        SUNSET_REVIEW_OPENED = "sunset_review.opened", "Sunset review opened"
        SUNSET_REVIEW_DECIDED = "sunset_review.decided", "Sunset review decided"
        RULE_LAPSED = "rule.lapsed", "Rule lapsed at its sunset"
        PILOT_PROMOTED = "rule.pilot_promoted", "Pilot promoted to live"
        CONTROL_DATA_LAPSED = "control_dataset.lapsed", "Control data lapsed at its sunset"
        AFFECTED_EXPORTERS_NOTIFIED = (
            "notice.affected_notified",
            "Exporters with affected cases notified",
        )
        CONSULTATION_OPENED = "consultation.opened", "Consultation opened"
        CONSULTATION_COMMENTED = "consultation.commented", "Consultation comment received"
        CONSULTATION_COMMENT_MODERATED = (
            "consultation.comment_moderated",
            "Consultation comment moderated",
        )
        CONSULTATION_DECIDED = "consultation.decided", "Consultation decided"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text="Who acted, kept as text too.")
    verb = models.CharField(max_length=64, choices=Verb.choices, db_index=True)
    target_type = models.CharField(max_length=100, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    target_label = models.CharField(max_length=300, blank=True)
    from_status = models.CharField(max_length=50, blank=True)
    to_status = models.CharField(max_length=50, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id", "id"], name="audit_target_idx")]

    def __str__(self):
        return f"#{self.pk} {self.verb} by {self.actor_label}"
