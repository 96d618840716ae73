"""The appeals API (/api/v1/appeals/): appellants file and follow their appeals; appeals
reviewers work their queue.

Appellants (members of the appealing organisation) start a draft, save its grounds and
statement, upload documents, lodge, answer the reviewer's questions and read the decision;
anyone else who may not see an appeal gets 404. Reviewers (appeals.view_appeal) read the queue
and every lodged appeal; the actions need appeals.assign_appeal or appeals.review_appeal,
which the services check (403). The services say no to what the rules forbid (400, through
exportgov.core.api.exception_handler).

What the appellant never sees (the `internal` block of an appeal, null for them): who reviews
the appeal and who decided it, the reviewers who would be eligible (independence), and the
rule versions involved in the decision appealed. The timeline shows them the events without
the officials' names.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import prefetch_related_objects
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from exportgov.accounts.models import User
from exportgov.core.api import ErrorSerializer, Pagination
from licensing import deadlines
from licensing import selectors as licensing_selectors
from licensing.api import ERRORS, paginated, validated
from licensing.uploads import validate_document

from . import selectors, services
from .models import Appeal, AppealInformationRequest

VIEW_PERMISSION = "appeals.view_appeal"


def _is_reviewer_view(user) -> bool:
    return user.has_perm(VIEW_PERMISSION)


def _working_days_left(appeal: Appeal) -> int | None:
    if appeal.deadline_on is None or appeal.is_decided:
        return None
    return deadlines.working_days_left(deadline=appeal.deadline_on, today=timezone.localdate())


def _name(user: User | None) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


class UploadField(serializers.FileField):
    """A document, accepted only when its content is one licensing/uploads.py allows."""

    def to_internal_value(self, data):
        file = super().to_internal_value(data)
        try:
            validate_document(file)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return file


# --- Output ------------------------------------------------------------------------------


class AppealListOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    subject = serializers.CharField()
    subject_display = serializers.CharField(source="get_subject_display")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    organisation = serializers.IntegerField(source="organisation_id")
    application = serializers.IntegerField(source="application_id")
    application_reference = serializers.CharField(source="application.reference")
    licence = serializers.IntegerField(source="licence_id", allow_null=True)
    filing_deadline = serializers.DateField()
    is_late = serializers.BooleanField()
    lodged_at = serializers.DateTimeField(allow_null=True)
    deadline_on = serializers.DateField(
        allow_null=True, help_text="The review's deadline, once a reviewer has it."
    )
    decided_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "AppealSummary"


class AppealDocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    information_request = serializers.IntegerField(source="information_request_id", allow_null=True)
    uploaded_at = serializers.DateTimeField()

    class Meta:
        ref_name = "AppealDocument"


class AppealInformationRequestOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField()
    created_at = serializers.DateTimeField()
    is_open = serializers.BooleanField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "AppealInformationRequest"


class AppealOutputSerializer(AppealListOutputSerializer):
    """An appeal as its appellant sees it; reviewers get the `internal` block as well."""

    class FlagSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField(source="rule.title", help_text="The check's public title.")
        concerns = serializers.SerializerMethodField()

        class Meta:
            ref_name = "AppealFlag"

        def get_concerns(self, flag) -> str:
            if flag.party is not None:
                return f"{flag.party.get_role_display()}: {flag.party.name}"
            return "The application as a whole"

    class DecisionSerializer(serializers.Serializer):
        outcome = serializers.CharField(source="status")
        outcome_display = serializers.CharField(source="get_status_display")
        reasons = serializers.CharField(source="decision_reasons")
        decided_at = serializers.DateTimeField()

        class Meta:
            ref_name = "AppealDecision"

    class EventSerializer(serializers.Serializer):
        at = serializers.DateTimeField(source="created_at")
        verb = serializers.CharField()
        description = serializers.CharField(source="get_verb_display")
        status = serializers.CharField(source="to_status")
        actor = serializers.SerializerMethodField(help_text="Reviewers only; null otherwise.")

        class Meta:
            ref_name = "AppealEvent"

        def get_actor(self, event) -> str | None:
            return event.actor_label if self.context.get("internal") else None

    class InternalSerializer(serializers.Serializer):
        class PersonSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            name = serializers.CharField()

            class Meta:
                ref_name = "AppealPerson"

        class RuleSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            code = serializers.CharField()
            version = serializers.IntegerField()

            class Meta:
                ref_name = "AppealInvolvedRule"

        reviewer = PersonSerializer(allow_null=True)
        decided_by = PersonSerializer(allow_null=True)
        appellant = PersonSerializer()
        eligible_reviewers = PersonSerializer(many=True)
        involved_rules = RuleSerializer(many=True)

        class Meta:
            ref_name = "AppealInternal"

    condition_text = serializers.CharField()
    flag = serializers.SerializerMethodField()
    notice_at = serializers.DateTimeField()
    grounds = serializers.ListField(child=serializers.CharField())
    statement = serializers.CharField()
    lateness_reason = serializers.CharField()
    lateness_decision_reason = serializers.CharField()
    unsaved_input = serializers.DictField(
        help_text="What the appellant typed that could not be saved, as typed."
    )
    clock_paused = serializers.BooleanField()
    working_days_left = serializers.SerializerMethodField()
    documents = AppealDocumentOutputSerializer(many=True)
    information_requests = AppealInformationRequestOutputSerializer(many=True)
    decision = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    internal = serializers.SerializerMethodField(
        help_text="Reviewers only (appeals.view_appeal); null for the appellant."
    )

    class Meta:
        ref_name = "Appeal"

    @extend_schema_field(FlagSerializer(allow_null=True))
    def get_flag(self, appeal) -> dict | None:
        return self.FlagSerializer(appeal.flag).data if appeal.flag is not None else None

    def get_working_days_left(self, appeal) -> int | None:
        return _working_days_left(appeal)

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, appeal) -> dict | None:
        return self.DecisionSerializer(appeal).data if appeal.is_decided else None

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, appeal) -> list[dict]:
        internal = self.context.get("internal", False)
        events = selectors.appeal_timeline(appeal=appeal, exporter_view=not internal)
        return self.EventSerializer(events, many=True, context={"internal": internal}).data

    @extend_schema_field(InternalSerializer(allow_null=True))
    def get_internal(self, appeal) -> dict | None:
        if not self.context.get("internal"):
            return None

        def person(user):
            return {"id": user.pk, "name": _name(user)} if user is not None else None

        return self.InternalSerializer(
            {
                "reviewer": person(appeal.reviewer),
                "decided_by": person(appeal.decided_by),
                "appellant": person(appeal.appellant),
                "eligible_reviewers": [
                    person(user) for user in selectors.eligible_reviewers(appeal=appeal)
                ]
                if not appeal.is_decided
                else [],
                "involved_rules": [
                    {"id": rule.pk, "code": rule.code, "version": rule.version}
                    for rule in appeal.involved_rules.all()
                ],
            }
        ).data


def _appeal_for_output(*, user, pk: int) -> Appeal:
    appeal = selectors.appeal_get_for_user(user=user, pk=pk)
    prefetch_related_objects(
        [appeal],
        "application",
        "flag__rule",
        "flag__party",
        "reviewer",
        "decided_by",
        "appellant",
        "documents",
        "information_requests",
        "involved_rules",
    )
    return appeal


def _appeal_response(request, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
    appeal = _appeal_for_output(user=request.user, pk=pk)
    context = {"internal": _is_reviewer_view(request.user)}
    return Response(AppealOutputSerializer(appeal, context=context).data, status=status_code)


# --- Appellants --------------------------------------------------------------------------


class AppealListApi(APIView):
    """The appeals of the caller's organisations (for appeals reviewers and auditors: every
    lodged appeal); POST starts a draft appeal against a decision on one of your cases."""

    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        subject = serializers.ChoiceField(choices=Appeal.Subject.choices)
        application = serializers.IntegerField(help_text="The case the decision was made on.")
        licence = serializers.IntegerField(
            required=False,
            allow_null=True,
            default=None,
            help_text="For a revocation, suspension or condition: the licence concerned.",
        )
        condition_text = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            help_text="For a condition: the condition appealed, as issued.",
        )
        flag = serializers.IntegerField(
            required=False,
            allow_null=True,
            default=None,
            help_text="For a match: the confirmed party-match flag.",
        )

        class Meta:
            ref_name = "AppealCreateInput"

    @extend_schema(
        responses=AppealListOutputSerializer(many=True),
        parameters=[
            OpenApiParameter("status", str, enum=Appeal.Status.values),
            OpenApiParameter("application", int, description="Only the appeals on this case"),
        ],
    )
    def get(self, request):
        appeals = selectors.appeal_list_for_user(user=request.user).select_related("application")
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in Appeal.Status.values:
                raise exceptions.ValidationError({"status": ["Not a status of an appeal."]})
            appeals = appeals.filter(status=wanted)
        application = request.query_params.get("application")
        if application:
            if not application.isdigit():
                raise exceptions.ValidationError({"application": ["Give the id of a case."]})
            appeals = appeals.filter(application_id=int(application))
        return paginated(self, request, appeals, AppealListOutputSerializer)

    @extend_schema(
        request=InputSerializer,
        responses={201: AppealOutputSerializer, **ERRORS},
        description="Start a draft (or get back the draft already started against the same "
        "decision). What may be appealed on a case, and until when, is at "
        "/api/v1/applications/{id}/appealable/.",
    )
    def post(self, request):
        if not request.user.memberships.exists():
            raise exceptions.PermissionDenied(
                "Only members of the organisation that applied can appeal."
            )
        data = validated(self.InputSerializer, request.data)
        application = (
            licensing_selectors.application_list_for_user(user=request.user)
            .filter(pk=data["application"], organisation__memberships__user=request.user)
            .first()
        )
        if application is None:
            raise exceptions.ValidationError(
                {"application": ["Not a case of an organisation you belong to."]}
            )
        licence = None
        if data["licence"] is not None:
            licence = (
                licensing_selectors.licence_list_for_user(user=request.user)
                .filter(pk=data["licence"], application=application)
                .first()
            )
            if licence is None:
                raise exceptions.ValidationError({"licence": ["Not the licence of this case."]})
        flag = None
        if data["flag"] is not None:
            flag = application.flags.filter(pk=data["flag"], shadow=False).first()
            if flag is None:
                raise exceptions.ValidationError({"flag": ["Not a flag of this case."]})
        appeal = services.appeal_start(
            actor=request.user,
            subject=data["subject"],
            application=application,
            licence=licence,
            condition_text=data["condition_text"],
            flag=flag,
        )
        return _appeal_response(request, appeal.pk, status.HTTP_201_CREATED)


class AppealDetailApi(APIView):
    class InputSerializer(serializers.Serializer):
        grounds = serializers.ListField(
            child=serializers.ChoiceField(choices=Appeal.Ground.choices),
            required=False,
            help_text="Codes of the grounds of appeal.",
        )
        statement = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
        lateness_reason = serializers.CharField(
            required=False,
            allow_blank=True,
            help_text="Needed to lodge after the filing deadline.",
        )

        class Meta:
            ref_name = "AppealSaveInput"

    @extend_schema(responses={200: AppealOutputSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        return _appeal_response(request, pk)

    @extend_schema(
        request=InputSerializer,
        responses={200: AppealOutputSerializer, **ERRORS},
        description="Change a draft's grounds, statement or reason for lateness. Only the "
        "fields sent are changed.",
    )
    def patch(self, request, pk: int):
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request.data)
        services.appeal_save(actor=request.user, appeal=appeal, data=dict(data))
        return _appeal_response(request, pk)


class AppealDocumentListApi(APIView):
    """Upload a document supporting the appeal (multipart/form-data); name an
    `information_request` when it answers the reviewer's question."""

    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        file = UploadField()
        information_request = serializers.IntegerField(required=False, allow_null=True)

        class Meta:
            ref_name = "AppealDocumentUploadInput"

    @extend_schema(
        request=InputSerializer, responses={201: AppealDocumentOutputSerializer, **ERRORS}
    )
    def post(self, request, pk: int):
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request.data)
        information_request = None
        if data.get("information_request") is not None:
            information_request = _information_request_of(appeal, data["information_request"])
            if information_request is None:
                raise exceptions.ValidationError(
                    {"information_request": ["Not a question asked on this appeal."]}
                )
        document = services.appeal_document_add(
            actor=request.user,
            appeal=appeal,
            upload=data["file"],
            information_request=information_request,
        )
        return Response(
            AppealDocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED
        )


def _information_request_of(appeal: Appeal, pk: int) -> AppealInformationRequest | None:
    return appeal.information_requests.filter(pk=pk).first()


class AppealLodgeApi(APIView):
    @extend_schema(
        request=None,
        responses={200: AppealOutputSerializer, **ERRORS},
        description="Lodge a draft: it needs at least one ground and a statement. After the "
        "filing deadline it needs a reason for lateness, which a reviewer accepts or rejects "
        "first (status `late_review`).",
    )
    def post(self, request, pk: int):
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
        services.appeal_lodge(actor=request.user, appeal=appeal)
        return _appeal_response(request, pk)


class AppealWithdrawApi(APIView):
    @extend_schema(
        request=None,
        responses={200: AppealOutputSerializer, **ERRORS},
        description="Withdraw the appeal; possible until it is decided.",
    )
    def post(self, request, pk: int):
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
        services.appeal_withdraw(actor=request.user, appeal=appeal)
        return _appeal_response(request, pk)


class AppealInformationAnswerApi(APIView):
    """Answer the reviewer's question, with documents if need be (JSON, or
    multipart/form-data with one or more `files`)."""

    parser_classes = [JSONParser, MultiPartParser]

    class InputSerializer(serializers.Serializer):
        answer = serializers.CharField()
        files = serializers.ListField(child=UploadField(), required=False, default=list)

        class Meta:
            ref_name = "AppealInformationAnswerInput"

    @extend_schema(
        request=InputSerializer, responses={200: AppealInformationRequestOutputSerializer, **ERRORS}
    )
    def post(self, request, pk: int, request_pk: int):
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
        information_request = _information_request_of(appeal, request_pk)
        if information_request is None:
            raise exceptions.NotFound()
        data = validated(self.InputSerializer, request.data)
        information_request = services.appeal_information_answer(
            actor=request.user,
            request=information_request,
            answer=data["answer"],
            uploads=data["files"],
        )
        return Response(AppealInformationRequestOutputSerializer(information_request).data)


class AppealableOutputSerializer(serializers.Serializer):
    subject = serializers.CharField()
    subject_display = serializers.CharField(source="subject_label")
    description = serializers.CharField(source="label")
    licence = serializers.IntegerField(source="licence.pk", allow_null=True)
    condition_text = serializers.CharField()
    flag = serializers.IntegerField(source="flag.pk", allow_null=True)
    notice_at = serializers.DateTimeField()
    filing_deadline = serializers.DateField()
    is_late = serializers.BooleanField(
        help_text="The filing deadline has passed: appealing needs a reason for lateness."
    )
    appeal = serializers.IntegerField(
        source="appeal.pk", allow_null=True, help_text="An appeal already started on this."
    )

    class Meta:
        ref_name = "AppealableItem"


class ApplicationAppealableApi(APIView):
    """What the caller's organisation may appeal on this case, each with its filing deadline
    (members of the organisation that applied only)."""

    @extend_schema(responses={200: AppealableOutputSerializer(many=True), 404: ErrorSerializer})
    def get(self, request, pk: int):
        application = licensing_selectors.application_get_for_member(user=request.user, pk=pk)
        items = selectors.appealable_items_for_application(
            user=request.user, application=application
        )
        return Response(AppealableOutputSerializer(items, many=True).data)


# --- Reviewers ---------------------------------------------------------------------------


class CanViewAppeals(BasePermission):
    """Appeals reviewers and auditors (appeals.view_appeal)."""

    def has_permission(self, request, view) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)


class AppealQueueOutputSerializer(AppealListOutputSerializer):
    applicant = serializers.CharField(source="organisation.name")
    reviewer = serializers.SerializerMethodField()
    clock_paused = serializers.BooleanField()
    working_days_left = serializers.SerializerMethodField()

    class Meta:
        ref_name = "AppealQueueRow"

    def get_reviewer(self, appeal) -> str | None:
        return _name(appeal.reviewer)

    def get_working_days_left(self, appeal) -> int | None:
        return _working_days_left(appeal)


class AppealQueueApi(APIView):
    """The reviewers' queue of lodged appeals, nearest deadline first."""

    pagination_class = Pagination
    permission_classes = [IsAuthenticated, CanViewAppeals]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=[("all", "Every lodged appeal")]
            + [s for s in Appeal.Status.choices if s[0] != Appeal.Status.DRAFT],
            required=False,
            help_text="Default: the open appeals (late review, lodged, under review, "
            "information requested).",
        )
        subject = serializers.ChoiceField(choices=Appeal.Subject.choices, required=False)
        mine = serializers.BooleanField(
            required=False, default=False, help_text="Only the appeals assigned to me."
        )
        overdue = serializers.BooleanField(
            required=False,
            default=False,
            help_text="Only the appeals past their deadline (with the clock running).",
        )
        q = serializers.CharField(
            required=False, help_text="Part of the appeal or case reference, or of the applicant."
        )

        class Meta:
            ref_name = "AppealQueueFilter"

    @extend_schema(
        responses=AppealQueueOutputSerializer(many=True),
        parameters=[FilterSerializer],
    )
    def get(self, request):
        data = validated(self.FilterSerializer, request.query_params)
        filters = {key: data[key] for key in ("status", "subject", "q") if data.get(key)}
        if data["mine"]:
            filters["reviewer"] = "me"
        if data["overdue"]:
            filters["deadline"] = deadlines.DeadlineState.OVERDUE
        appeals = selectors.appeal_queue(user=request.user, filters=filters)
        return paginated(self, request, appeals, AppealQueueOutputSerializer)


def _user_field(data: dict, name: str) -> User | None:
    pk = data.get(name)
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise exceptions.ValidationError({name: ["No such user."]})
    return user


class ReviewerActionApi(APIView):
    permission_classes = [IsAuthenticated, CanViewAppeals]


class AppealAssignApi(ReviewerActionApi):
    class InputSerializer(serializers.Serializer):
        reviewer = serializers.IntegerField(
            required=False,
            allow_null=True,
            help_text="The user id of an independent appeals reviewer; default: yourself.",
        )

        class Meta:
            ref_name = "AppealAssignInput"

    @extend_schema(
        request=InputSerializer,
        responses={200: AppealOutputSerializer, **ERRORS},
        description="Assign (or reassign) the appeal to a reviewer who took no part in the "
        "original case; assigning a lodged appeal starts the review and its deadline.",
    )
    def post(self, request, pk: int):
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request.data)
        reviewer = _user_field(data, "reviewer") or request.user
        services.appeal_assign(actor=request.user, appeal=appeal, reviewer=reviewer)
        return _appeal_response(request, pk)


class AppealLatenessApi(ReviewerActionApi):
    class InputSerializer(serializers.Serializer):
        accept = serializers.BooleanField()
        reason = serializers.CharField()

        class Meta:
            ref_name = "AppealLatenessInput"

    @extend_schema(
        request=InputSerializer,
        responses={200: AppealOutputSerializer, **ERRORS},
        description="Accept or reject a late appeal's reason for lateness, with a reason.",
    )
    def post(self, request, pk: int):
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request.data)
        services.appeal_lateness_decide(
            actor=request.user, appeal=appeal, accept=data["accept"], reason=data["reason"]
        )
        return _appeal_response(request, pk)


class AppealInformationRequestApi(ReviewerActionApi):
    class InputSerializer(serializers.Serializer):
        question = serializers.CharField()

        class Meta:
            ref_name = "AppealInformationRequestInput"

    @extend_schema(
        request=InputSerializer,
        responses={201: AppealInformationRequestOutputSerializer, **ERRORS},
        description="Ask the appellant a question; the review's clock stops until the answer.",
    )
    def post(self, request, pk: int):
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request.data)
        information_request = services.appeal_information_request(
            actor=request.user, appeal=appeal, question=data["question"]
        )
        return Response(
            AppealInformationRequestOutputSerializer(information_request).data,
            status=status.HTTP_201_CREATED,
        )


OUTCOMES = [Appeal.Status.UPHELD, Appeal.Status.OVERTURNED, Appeal.Status.REMITTED]


class AppealDecideApi(ReviewerActionApi):
    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=[(o.value, o.label) for o in OUTCOMES])
        reasons = serializers.CharField(help_text="Published to the appellant.")
        officer = serializers.IntegerField(
            required=False,
            allow_null=True,
            help_text="Remitting a refusal: the user id of a case officer who took no part "
            "in the case, for the fresh review.",
        )

        class Meta:
            ref_name = "AppealDecideInput"

    @extend_schema(
        request=InputSerializer,
        responses={200: AppealOutputSerializer, **ERRORS},
        description="Decide the appeal (the assigned reviewer only). Overturning a refusal "
        "issues the licence; remitting one reopens the case for `officer`.",
    )
    def post(self, request, pk: int):
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request.data)
        services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            outcome=data["outcome"],
            reasons=data["reasons"],
            officer=_user_field(data, "officer"),
        )
        return _appeal_response(request, pk)
