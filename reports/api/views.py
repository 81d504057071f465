from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.scope import has_directory_access
from litigation.permissions import RolePermission
from reports.selectors import metrics_for_user

from .serializers import MetricsQuerySerializer, MetricsSerializer


class MetricsView(APIView):
    """GET ?period=P&agency=ID: every METRICS.md figure for the agency's scope, from the live data.

    Every role may ask for an agency it can see (agencies.scope): officers their government's scope,
    agency users their agency's, API clients their issuer's, liaison staff every agency."""

    permission_classes = [RolePermission]

    def can_read(self, user) -> bool:
        return has_directory_access(user)

    def can_write(self, user) -> bool:
        return False

    @extend_schema(parameters=[MetricsQuerySerializer], responses=MetricsSerializer)
    def get(self, request):
        query = MetricsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data["period"]
        agency, metrics = metrics_for_user(
            user=request.user, period=period, agency_id=query.validated_data["agency"]
        )
        return Response(MetricsSerializer((period, agency, metrics)).data)
