from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from exportgov.core.api import Pagination

from . import selectors
from .roles import Role


class MeApi(APIView):
    """The signed-in user, their roles, organisations and teams."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        email = serializers.EmailField()
        full_name = serializers.CharField(source="get_full_name")
        roles = serializers.SerializerMethodField()
        organisations = serializers.SerializerMethodField()
        teams = serializers.SerializerMethodField()

        def get_roles(self, user) -> list[str]:
            return [role.value for role in Role if user.has_role(role)]

        def get_organisations(self, user) -> list[dict]:
            return [
                {
                    "id": membership.organisation_id,
                    "name": membership.organisation.name,
                    "role": membership.role,
                }
                for membership in user.memberships.select_related("organisation")
            ]

        def get_teams(self, user) -> list[dict]:
            return [
                {"id": team.id, "code": team.code, "name": team.name} for team in user.teams.all()
            ]

    def get(self, request):
        return Response(self.OutputSerializer(request.user).data)


class OrganisationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    country = serializers.CharField(source="country.code")
    member_count = serializers.IntegerField()


class OrganisationListApi(APIView):
    """Organisations the caller may see: their own, or all for officials."""

    def get(self, request):
        paginator = Pagination()
        organisations = selectors.organisation_list_for_user(user=request.user)
        page = paginator.paginate_queryset(organisations, request, view=self)
        return paginator.get_paginated_response(OrganisationOutputSerializer(page, many=True).data)


class OrganisationDetailApi(APIView):
    def get(self, request, pk: int):
        organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
        return Response(OrganisationOutputSerializer(organisation).data)


class OrganisationMemberListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField(source="user.username")
        full_name = serializers.CharField(source="user.get_full_name")
        email = serializers.EmailField(source="user.email")
        role = serializers.CharField()
        joined_at = serializers.DateTimeField()

    def get(self, request, pk: int):
        organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
        paginator = Pagination()
        members = selectors.organisation_member_list(organisation=organisation)
        page = paginator.paginate_queryset(members, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)
