"""Shapes of agencies, officials, posts and courts in the REST API (API.md); rules live in the services."""

from rest_framework import serializers

from agencies.models import Agency, Court, Official, Position
from agencies.scope import agencies_visible_to, officials_manageable_by
from litigation.api import ScopedPrimaryKeyRelatedField


class AgencySerializer(serializers.ModelSerializer):
    parent = ScopedPrimaryKeyRelatedField(
        scope=agencies_visible_to, queryset=Agency.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "parent", "active_from", "active_until", "circular_prefix"]
        validators = []


class OfficialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Official
        fields = ["id", "name"]
        validators = []


class PositionSerializer(serializers.ModelSerializer):
    official = ScopedPrimaryKeyRelatedField(scope=officials_manageable_by, queryset=Official.objects.all())
    agency = ScopedPrimaryKeyRelatedField(scope=agencies_visible_to, queryset=Agency.objects.all())

    class Meta:
        model = Position
        fields = ["id", "official", "agency", "role", "title", "start_date", "end_date"]
        validators = []


class CourtSerializer(serializers.ModelSerializer):
    class Meta:
        model = Court
        fields = ["id", "name", "level", "code"]
        validators = []
        # Uniqueness of the name is checked once, by the service (full_clean).
        extra_kwargs = {"name": {"validators": []}}
