"""Shapes of hearings (with the case's obligations), appearances and events in the REST API (API.md).

Serializers check shape only; hearings.services decides what may be recorded, and
hearings.obligations what the obligation status is.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.choices import PositionRole
from agencies.models import Agency, Official
from agencies.scope import agencies_visible_to, officials_visible_to
from cases.models import Case
from cases.selectors import cases_visible_to
from hearings.choices import APPEARANCE_EXTERNAL_ROLE, ExternalCapacity
from hearings.models import Appearance, Event, Hearing
from hearings.selectors import hearings_visible_to
from litigation.api import ScopedPrimaryKeyRelatedField

VERSION_HELP = "The version read; send it back on PUT/PATCH (a stale one answers 409)."


class ObligationSerializer(serializers.Serializer):
    """One defendant's obligation as it stands (METRICS.md), read from hearings.obligations."""

    agency = serializers.IntegerField(source="agency_id", read_only=True)
    obligation_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="The case's first held hearing; null: no obligation yet."
    )
    head_attended = serializers.BooleanField(read_only=True)
    principal_attended = serializers.BooleanField(read_only=True)
    spoke = serializers.BooleanField(read_only=True)
    waived = serializers.BooleanField(read_only=True)


class HearingSerializer(serializers.ModelSerializer):
    case = ScopedPrimaryKeyRelatedField(scope=cases_visible_to, queryset=Case.objects.all())
    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)
    obligations = ObligationSerializer(source="case.obligations", many=True, read_only=True)

    class Meta:
        model = Hearing
        fields = [
            "id",
            "case",
            "date",
            "time",
            "courtroom",
            "status",
            "head_required",
            "notes",
            "version",
            "obligations",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


APPEARANCE_ROLES = [*PositionRole.choices, (APPEARANCE_EXTERNAL_ROLE, _("非登记人员"))]


class AppearanceSerializer(serializers.ModelSerializer):
    hearing = ScopedPrimaryKeyRelatedField(scope=hearings_visible_to, queryset=Hearing.objects.all())
    agency = ScopedPrimaryKeyRelatedField(scope=agencies_visible_to, queryset=Agency.objects.all())
    official = ScopedPrimaryKeyRelatedField(
        scope=officials_visible_to, queryset=Official.objects.all(), allow_null=True, required=False
    )
    person_name = serializers.CharField(max_length=100, allow_blank=True, required=False)
    capacity = serializers.ChoiceField(
        choices=ExternalCapacity.choices,
        allow_blank=True,
        required=False,
        help_text="For a person_name entry: staff, lawyer or other (default staff).",
    )
    role = serializers.ChoiceField(
        choices=APPEARANCE_ROLES,
        read_only=True,
        allow_null=True,
        help_text="The official's post in that agency on the hearing date, or external.",
    )

    class Meta:
        model = Appearance
        fields = ["id", "hearing", "agency", "official", "person_name", "capacity", "spoke", "role"]
        validators = []


class EventSerializer(serializers.ModelSerializer):
    agencies = ScopedPrimaryKeyRelatedField(
        scope=agencies_visible_to, queryset=Agency.objects.all(), many=True, required=False
    )
    officials = ScopedPrimaryKeyRelatedField(
        scope=officials_visible_to, queryset=Official.objects.all(), many=True, required=False
    )
    hearing = ScopedPrimaryKeyRelatedField(
        scope=hearings_visible_to, queryset=Hearing.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Event
        fields = ["id", "kind", "date", "title", "agencies", "location", "hearing", "officials"]
        validators = []
