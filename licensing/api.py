"""The licensing API (/api/v1/): exporters' applications, licences and shipments, so that an
exporter's own systems (an ERP) can integrate; officials' queues and cases, read-only.

Every object is found through the selectors, so one the caller may not see is a 404; the
services authorise the change itself (403) and say no to what the rules forbid (400, with the
service's message, through exportgov.core.api.exception_handler).
"""

from dataclasses import asdict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from exportgov.accounts.models import Organisation
from exportgov.core.api import ErrorSerializer, Pagination
from exportgov.core.exceptions import ApplicationError
from screening.selectors_flags import flag_public_list

from . import deadlines, selectors
from .filters import OPEN_STATUSES, CaseQueueFilter, TriageQueueFilter, sorted_by
from .forms_licences import LicenceFilter
from .models import Application, Document, Item, Licence, Party
from .services import applications as application_services
from .services import licences as licence_services
from .services.applications import STEP_FIELDS
from .steps import DUE_DILIGENCE_ANSWERS, DUE_DILIGENCE_QUESTIONS

# --- Shared pieces -----------------------------------------------------------------------


ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def paginated(view: APIView, request, queryset, serializer_class) -> Response:
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


def validated(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    control_code = serializers.CharField()
    classification_unknown = serializers.BooleanField()
    technical_description = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True)
    unit = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    currency = serializers.CharField()
    transfer_form = serializers.CharField()

    class Meta:
        ref_name = "Item"


class PartyOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    name = serializers.CharField()
    aliases = serializers.CharField()
    kind = serializers.CharField()
    address = serializers.CharField()
    country = serializers.CharField(source="country.code")
    website = serializers.CharField()
    undertaking = serializers.IntegerField(source="undertaking_id", allow_null=True)

    class Meta:
        ref_name = "Party"


class DocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_by = serializers.CharField(source="uploaded_by.get_full_name")
    uploaded_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Document"


class ItemInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300)
    control_code = serializers.CharField(max_length=40, allow_blank=True, default="")
    classification_unknown = serializers.BooleanField(default=False)
    technical_description = serializers.CharField(allow_blank=True, default="")
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=0, allow_null=True, default=None
    )
    unit = serializers.ChoiceField(choices=Item.Unit.choices, default=Item.Unit.ITEMS)
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, allow_null=True, default=None
    )
    currency = serializers.RegexField(r"^[A-Z]{3}$", default="GBP", help_text="ISO 4217")
    transfer_form = serializers.ChoiceField(
        choices=Item.TransferForm.choices, allow_blank=True, default=""
    )

    class Meta:
        ref_name = "ItemInput"


class PartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Party.Role.choices)
    name = serializers.CharField(max_length=300)
    aliases = serializers.CharField(allow_blank=True, default="", help_text="One per line.")
    kind = serializers.ChoiceField(choices=Party.Kind.choices, default=Party.Kind.COMPANY)
    address = serializers.CharField(allow_blank=True, default="")
    country = CountryField(help_text="ISO 3166-1 alpha-2 code")
    website = serializers.URLField(allow_blank=True, default="")

    class Meta:
        ref_name = "PartyInput"


DUE_DILIGENCE_CODES = [code for code, _question in DUE_DILIGENCE_QUESTIONS]


class StepFieldsInputSerializer(serializers.Serializer):
    """The answers of the applicant, end-use and due-diligence steps; any may be left out."""

    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    contact_name = serializers.CharField(max_length=200, allow_blank=True, required=False)
    contact_email = serializers.EmailField(allow_blank=True, required=False)
    contact_phone = serializers.CharField(max_length=40, allow_blank=True, required=False)
    end_use_statement = serializers.CharField(allow_blank=True, required=False)
    military_end_use = serializers.BooleanField(allow_null=True, required=False)
    wmd_end_use = serializers.BooleanField(allow_null=True, required=False)
    reexport_intended = serializers.BooleanField(allow_null=True, required=False)
    end_user_known_for = serializers.ChoiceField(
        choices=Application.KnownFor.choices, allow_blank=True, required=False
    )
    due_diligence = serializers.DictField(
        child=serializers.ChoiceField(choices=DUE_DILIGENCE_ANSWERS),
        required=False,
        help_text="Know-your-customer answers, yes, no or unsure, by question: "
        + "; ".join(f"`{code}`: {question}" for code, question in DUE_DILIGENCE_QUESTIONS),
    )

    class Meta:
        ref_name = "ApplicationStepFieldsInput"

    def validate_due_diligence(self, answers: dict) -> dict:
        unknown = sorted(set(answers) - set(DUE_DILIGENCE_CODES))
        if unknown:
            raise serializers.ValidationError(f"Unknown questions: {', '.join(unknown)}.")
        return answers


def _save_steps(*, actor, application: Application, data: dict) -> Application:
    """Save the given step answers, one application_step_save per step they belong to."""
    for step, fields in STEP_FIELDS.items():
        answers = {name: data[name] for name in fields if name in data}
        if answers:
            if "due_diligence" in answers:
                answers["due_diligence"] = dict(answers["due_diligence"])
            application = application_services.application_step_save(
                actor=actor, application=application, step=step, data=answers
            )
    return application


# --- Exporters: applications -------------------------------------------------------------


class ApplicationListOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="exporter_status_display")
    title = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    submitted_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "ApplicationSummary"


class ApplicationOutputSerializer(ApplicationListOutputSerializer):
    """An application as its exporter sees it (no case-internal fields)."""

    class LicenceRefSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        number = serializers.CharField()
        status = serializers.CharField()

        class Meta:
            ref_name = "LicenceRef"

    class ProblemSerializer(serializers.Serializer):
        step = serializers.CharField()
        message = serializers.CharField()

        class Meta:
            ref_name = "ApplicationProblem"

    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    end_use_statement = serializers.CharField()
    military_end_use = serializers.BooleanField(allow_null=True)
    wmd_end_use = serializers.BooleanField(allow_null=True)
    reexport_intended = serializers.BooleanField(allow_null=True)
    end_user_known_for = serializers.CharField()
    due_diligence = serializers.DictField(child=serializers.CharField())
    declared_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    amends_licence = serializers.IntegerField(source="amends_licence_id", allow_null=True)
    items = ItemOutputSerializer(many=True)
    parties = PartyOutputSerializer(many=True)
    documents = DocumentOutputSerializer(many=True)
    licence = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField(
        help_text="What stops a draft from being submitted; empty once it is submitted."
    )
    checks = serializers.SerializerMethodField(
        help_text="The public reasons of the screening checks that concern the application "
        "(the rule's title and published justification), and whether an official has "
        "reviewed each one."
    )

    class Meta:
        ref_name = "Application"

    class CheckSerializer(serializers.Serializer):
        title = serializers.CharField()
        justification = serializers.CharField()
        concerns = serializers.CharField()
        reviewed = serializers.BooleanField()

        class Meta:
            ref_name = "ApplicationCheck"

    @extend_schema_field(CheckSerializer(many=True))
    def get_checks(self, application) -> list[dict]:
        # The caller found the application through a selector; these reasons are public.
        return [asdict(check) for check in flag_public_list(application=application)]

    @extend_schema_field(LicenceRefSerializer(allow_null=True))
    def get_licence(self, application) -> dict | None:
        licence = getattr(application, "licence", None) if application.is_decided else None
        if licence is None:
            return None
        return {"id": licence.pk, "number": licence.number, "status": licence.status}

    @extend_schema_field(ProblemSerializer(many=True))
    def get_problems(self, application) -> list[dict]:
        if application.status != Application.Status.DRAFT:
            return []
        return [
            {"step": problem.step, "message": problem.message}
            for problem in selectors.application_problems(
                application=application, ignore_declaration=True
            )
        ]


def _application_for_output(*, user, pk: int) -> Application:
    application = selectors.application_get_for_user(user=user, pk=pk)
    prefetch_related_objects([application], "items", "parties", "documents__uploaded_by", "licence")
    return application


class ApplicationListApi(APIView):
    """The applications of the caller's organisations (for officials: every case they may
    see); POST makes a new draft, with its items and parties, in one request."""

    pagination_class = Pagination

    class InputSerializer(StepFieldsInputSerializer):
        kind = serializers.ChoiceField(choices=Application.Kind.choices)
        organisation = serializers.IntegerField(
            required=False,
            help_text="The applying organisation; needed only when you belong to several.",
        )
        items = ItemInputSerializer(many=True, default=list)
        parties = PartyInputSerializer(many=True, default=list)

        class Meta:
            ref_name = "ApplicationCreateInput"

    @extend_schema(
        responses=ApplicationListOutputSerializer(many=True),
        parameters=[
            OpenApiParameter("status", str, enum=Application.Status.values),
        ],
    )
    def get(self, request):
        applications = selectors.application_list_for_user(user=request.user)
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in Application.Status.values:
                raise exceptions.ValidationError({"status": ["Not a status of an application."]})
            applications = applications.filter(status=wanted)
        return paginated(self, request, applications, ApplicationListOutputSerializer)

    @extend_schema(request=InputSerializer, responses={201: ApplicationOutputSerializer, **ERRORS})
    def post(self, request):
        data = validated(self.InputSerializer, request.data)
        organisation = _applying_organisation(request.user, data.get("organisation"))
        with transaction.atomic():
            application = application_services.application_create(
                actor=request.user, organisation=organisation, kind=data["kind"]
            )
            application = _save_steps(actor=request.user, application=application, data=data)
            for item in data["items"]:
                application_services.item_save(
                    actor=request.user, application=application, data=dict(item)
                )
            for party in data["parties"]:
                application_services.party_save(
                    actor=request.user, application=application, data=dict(party)
                )
        application = _application_for_output(user=request.user, pk=application.pk)
        return Response(
            ApplicationOutputSerializer(application).data, status=status.HTTP_201_CREATED
        )


def _applying_organisation(user, organisation_id: int | None) -> Organisation:
    memberships = list(user.memberships.select_related("organisation"))
    if organisation_id is not None:
        for membership in memberships:
            if membership.organisation_id == organisation_id:
                return membership.organisation
        raise exceptions.ValidationError(
            {"organisation": ["You can only apply for an organisation you belong to."]}
        )
    if len(memberships) == 1:
        return memberships[0].organisation
    if not memberships:
        raise exceptions.PermissionDenied("Only members of an exporting organisation can apply.")
    raise exceptions.ValidationError(
        {"organisation": ["You belong to several organisations: say which one applies."]}
    )


class ApplicationDetailApi(APIView):
    @extend_schema(responses={200: ApplicationOutputSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        application = _application_for_output(user=request.user, pk=pk)
        return Response(ApplicationOutputSerializer(application).data)

    @extend_schema(
        request=StepFieldsInputSerializer,
        responses={200: ApplicationOutputSerializer, **ERRORS},
        description="Change a draft's answers (applicant, end use, due diligence). "
        "Only the fields sent are changed.",
    )
    def patch(self, request, pk: int):
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        data = validated(StepFieldsInputSerializer, request.data)
        with transaction.atomic():
            _save_steps(actor=request.user, application=application, data=data)
        application = _application_for_output(user=request.user, pk=pk)
        return Response(ApplicationOutputSerializer(application).data)


class ApplicationSubmitApi(APIView):
    @extend_schema(
        request=None,
        responses={200: ApplicationOutputSerializer, **ERRORS},
        description="Declare and submit a complete draft. An incomplete one is answered 400, "
        "with what is missing in `error.fields.problems`.",
    )
    def post(self, request, pk: int):
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        try:
            application_services.application_submit(actor=request.user, application=application)
        except ApplicationError as error:
            if "problems" not in error.extra:
                raise
            raise exceptions.ValidationError(
                {
                    "detail": [exceptions.ErrorDetail(error.message, code=error.code)],
                    "problems": error.extra["problems"],
                }
            ) from error
        application = _application_for_output(user=request.user, pk=pk)
        return Response(ApplicationOutputSerializer(application).data)


class ApplicationWithdrawApi(APIView):
    @extend_schema(request=None, responses={200: ApplicationOutputSerializer, **ERRORS})
    def post(self, request, pk: int):
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        application_services.application_withdraw(actor=request.user, application=application)
        application = _application_for_output(user=request.user, pk=pk)
        return Response(ApplicationOutputSerializer(application).data)


class ApplicationDocumentListApi(APIView):
    """A draft's supporting documents. Upload one as multipart/form-data; name a `party` to
    attach it to that party as its end-user undertaking."""

    pagination_class = Pagination

    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()
        kind = serializers.ChoiceField(choices=Document.Kind.choices, default=Document.Kind.OTHER)
        party = serializers.IntegerField(
            required=False, help_text="A party of this application whose undertaking this is."
        )

        class Meta:
            ref_name = "DocumentUploadInput"

        def validate_file(self, file):
            from .uploads import validate_document

            try:
                file.detected_content_type = validate_document(file)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from error
            return file

    @extend_schema(responses=DocumentOutputSerializer(many=True))
    def get(self, request, pk: int):
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        documents = application.documents.select_related("uploaded_by")
        return paginated(self, request, documents, DocumentOutputSerializer)

    @extend_schema(request=InputSerializer, responses={201: DocumentOutputSerializer, **ERRORS})
    def post(self, request, pk: int):
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request.data)
        party = None
        if "party" in data:
            party = next((p for p in application.parties.all() if p.pk == data["party"]), None)
            if party is None:
                raise exceptions.ValidationError({"party": ["Not a party of this application."]})
        with transaction.atomic():
            document = application_services.document_upload(
                actor=request.user,
                application=application,
                file=data["file"],
                kind=data["kind"],
                content_type=data["file"].detected_content_type,
            )
            if party is not None:
                application_services.party_save(
                    actor=request.user,
                    application=application,
                    party=party,
                    data={"undertaking": document},
                )
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED)


# --- Exporters: licences and shipments ---------------------------------------------------


class LicenceItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    control_code = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    shipped_quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    shipped_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    remaining_quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    remaining_value = serializers.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ref_name = "LicenceItem"


class LicenceListOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    organisation = serializers.CharField(source="organisation.name")
    application = serializers.CharField(source="application.reference")
    issued_at = serializers.DateTimeField()
    expires_on = serializers.DateField()

    class Meta:
        ref_name = "LicenceSummary"


class LicenceOutputSerializer(LicenceListOutputSerializer):
    status_reason = serializers.CharField()
    application_id = serializers.IntegerField()
    conditions = serializers.ListField(child=serializers.CharField())
    items = LicenceItemOutputSerializer(many=True)

    class Meta:
        ref_name = "Licence"


class LicenceListApi(APIView):
    """Licences of the caller's organisations; every licence for officials who may view them."""

    pagination_class = Pagination

    @extend_schema(
        responses=LicenceListOutputSerializer(many=True),
        parameters=[
            OpenApiParameter("status", str, enum=Licence.Status.values),
            OpenApiParameter("number", str, description="Part of the licence number"),
        ],
    )
    def get(self, request):
        licence_filter = LicenceFilter(
            request.query_params, queryset=selectors.licence_list_for_user(user=request.user)
        )
        if not licence_filter.is_valid():
            raise exceptions.ValidationError(licence_filter.errors)
        return paginated(self, request, licence_filter.qs, LicenceListOutputSerializer)


class LicenceDetailApi(APIView):
    @extend_schema(responses={200: LicenceOutputSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        licence = selectors.licence_get_for_user(user=request.user, pk=pk)
        return Response(LicenceOutputSerializer(licence).data)


class ShipmentOutputSerializer(serializers.Serializer):
    class LineSerializer(serializers.Serializer):
        licence_item = serializers.IntegerField(source="licence_item_id")
        description = serializers.CharField(source="licence_item.description")
        quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
        value = serializers.DecimalField(max_digits=14, decimal_places=2)

        class Meta:
            ref_name = "ShipmentLine"

    id = serializers.IntegerField()
    shipped_on = serializers.DateField()
    reference = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.get_full_name")
    created_at = serializers.DateTimeField()
    lines = LineSerializer(many=True)

    class Meta:
        ref_name = "Shipment"


class LicenceShipmentListApi(APIView):
    """Shipments recorded against a licence, newest first; the licence holder records more."""

    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        class LineSerializer(serializers.Serializer):
            licence_item = serializers.IntegerField(help_text="The id of an item of the licence.")
            quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
            value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)

            class Meta:
                ref_name = "ShipmentLineInput"

        shipped_on = serializers.DateField()
        reference = serializers.CharField(max_length=100, allow_blank=True, default="")
        lines = LineSerializer(many=True, allow_empty=False)

        class Meta:
            ref_name = "ShipmentInput"

    @extend_schema(responses=ShipmentOutputSerializer(many=True))
    def get(self, request, pk: int):
        licence = selectors.licence_get_for_user(user=request.user, pk=pk)
        shipments = licence.shipments.select_related("recorded_by").prefetch_related(
            "lines__licence_item"
        )
        return paginated(self, request, shipments, ShipmentOutputSerializer)

    @extend_schema(
        request=InputSerializer,
        responses={201: ShipmentOutputSerializer, **ERRORS},
        description="A shipment beyond the licence's remaining quantity or value is refused "
        "(400, code `exceeds_licence`); so is one on a licence that is not active.",
    )
    def post(self, request, pk: int):
        licence = selectors.licence_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request.data)
        items = {item.pk: item for item in licence.items.all()}
        lines = []
        for line in data["lines"]:
            item = items.get(line["licence_item"])
            if item is None:
                raise exceptions.ValidationError(
                    {"lines": [f"Item {line['licence_item']} is not on this licence."]}
                )
            lines.append((item, line["quantity"], line["value"]))
        shipment = licence_services.shipment_record(
            actor=request.user,
            licence=licence,
            shipped_on=data["shipped_on"],
            reference=data["reference"],
            lines=lines,
        )
        prefetch_related_objects([shipment], "lines__licence_item", "recorded_by")
        return Response(ShipmentOutputSerializer(shipment).data, status=status.HTTP_201_CREATED)


# --- Officials: queues and cases ---------------------------------------------------------


class IsOfficialWithCases(BasePermission):
    """Officials who work or advise on cases (advisors see only the cases referred to them)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return user.has_perm("licensing.view_application") or user.has_perm("licensing.give_advice")


class CaseQueueOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    applicant = serializers.CharField(source="organisation.name")
    destinations = serializers.SerializerMethodField()
    tier = serializers.CharField()
    risk_score = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    assigned_officer = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    deadline_on = serializers.DateField(allow_null=True)
    clock_paused = serializers.BooleanField()
    working_days_left = serializers.SerializerMethodField()

    class Meta:
        ref_name = "CaseSummary"

    def get_destinations(self, application) -> list[str]:
        return sorted({party.country.code for party in application.parties.all()})

    def get_assigned_officer(self, application) -> str | None:
        officer = application.assigned_officer
        return (officer.get_full_name() or officer.username) if officer else None

    def get_working_days_left(self, application) -> int | None:
        if application.deadline_on is None:
            return None
        return deadlines.working_days_left(
            deadline=application.deadline_on, today=timezone.localdate()
        )


QUEUES = ["team", "triage"]


class CaseQueueListApi(APIView):
    """The officials' queues, with the filters of the queue pages (licensing/filters.py).

    `queue=triage`: cases waiting to be claimed; `queue=team` (the default): every open case
    of the licensing unit (for advisors: the open cases referred to their body).
    """

    pagination_class = Pagination

    permission_classes = [IsAuthenticated, IsOfficialWithCases]

    @extend_schema(
        responses=CaseQueueOutputSerializer(many=True),
        parameters=[
            OpenApiParameter("queue", str, enum=QUEUES, description="Default: team"),
            OpenApiParameter("assigned", str, enum=["mine", "unassigned"]),
            OpenApiParameter("status", str, enum=[str(status) for status in OPEN_STATUSES]),
            OpenApiParameter("tier", str, enum=["low", "medium", "high"]),
            OpenApiParameter("country", str, description="ISO 3166 code of a destination"),
            OpenApiParameter("organisation", str, description="Part of the applicant's name"),
            OpenApiParameter("deadline", str, enum=["overdue", "due_soon"]),
            OpenApiParameter("sort", str, description="deadline, -deadline, risk, -risk, ..."),
        ],
    )
    def get(self, request):
        queue = request.query_params.get("queue", "team")
        cases = selectors.case_queue(user=request.user)
        if queue == "triage":
            cases = cases.filter(status=Application.Status.TRIAGE, assigned_officer__isnull=True)
            filter_class = TriageQueueFilter
        elif queue == "team":
            cases = cases.filter(status__in=OPEN_STATUSES)
            filter_class = CaseQueueFilter
        else:
            raise exceptions.ValidationError({"queue": [f"Choose one of: {', '.join(QUEUES)}."]})
        case_filter = filter_class(request.query_params, queryset=cases, request=request)
        if not case_filter.is_valid():
            raise exceptions.ValidationError(case_filter.errors)
        cases = case_filter.qs
        if not request.query_params.get("sort"):
            cases = sorted_by(cases, "deadline")
        return paginated(self, request, cases, CaseQueueOutputSerializer)


class CaseOutputSerializer(CaseQueueOutputSerializer):
    """Everything about a case, read-only."""

    class NoteSerializer(serializers.Serializer):
        author = serializers.CharField(source="author.get_full_name")
        text = serializers.CharField()
        created_at = serializers.DateTimeField()

        class Meta:
            ref_name = "CaseNote"

    class InformationRequestSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        question = serializers.CharField()
        created_at = serializers.DateTimeField()
        answer = serializers.CharField()
        answered_at = serializers.DateTimeField(allow_null=True)

        class Meta:
            ref_name = "InformationRequest"

    class ConsultationSerializer(serializers.Serializer):
        class AdviceSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            outcome = serializers.CharField()
            rationale = serializers.CharField()
            advisor = serializers.CharField(source="advisor.get_full_name")
            supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
            created_at = serializers.DateTimeField()

            class Meta:
                ref_name = "Advice"

        id = serializers.IntegerField()
        team = serializers.CharField(source="team.name")
        question = serializers.CharField()
        created_at = serializers.DateTimeField()
        advice = AdviceSerializer(many=True)

        class Meta:
            ref_name = "Consultation"

    kind = serializers.CharField()
    title = serializers.CharField()
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    end_use_statement = serializers.CharField()
    military_end_use = serializers.BooleanField(allow_null=True)
    wmd_end_use = serializers.BooleanField(allow_null=True)
    reexport_intended = serializers.BooleanField(allow_null=True)
    end_user_known_for = serializers.CharField()
    due_diligence = serializers.DictField(child=serializers.CharField())
    items = ItemOutputSerializer(many=True)
    parties = PartyOutputSerializer(many=True)
    documents = DocumentOutputSerializer(many=True)
    notes = serializers.SerializerMethodField()
    information_requests = InformationRequestSerializer(many=True)
    consultations = ConsultationSerializer(many=True)

    class Meta:
        ref_name = "Case"

    @extend_schema_field(NoteSerializer(many=True))
    def get_notes(self, application) -> list[dict]:
        """Notes between officials; advisors do not see them."""
        if not self.context["request"].user.has_perm("licensing.view_application"):
            return []
        return self.NoteSerializer(application.notes.all(), many=True).data


class CaseDetailApi(APIView):
    """A case, read-only, for the officials who may see it."""

    permission_classes = [IsAuthenticated, IsOfficialWithCases]

    @extend_schema(responses={200: CaseOutputSerializer, **ERRORS})
    def get(self, request, pk: int):
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        if application.status == Application.Status.DRAFT:
            raise exceptions.NotFound()
        prefetch_related_objects(
            [application],
            "items",
            "parties",
            "documents__uploaded_by",
            "notes__author",
            "information_requests",
            "consultations__team",
            "consultations__advice__advisor",
        )
        return Response(CaseOutputSerializer(application, context={"request": request}).data)
