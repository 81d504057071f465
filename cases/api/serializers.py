"""Shapes of cases (with their defendants) and disputes in the REST API (API.md).

Serializers check shape only; the 案号, dates and defendants are validated by cases.services.
"""

from rest_framework import serializers

from agencies.models import Agency, Court, Official
from agencies.scope import agencies_visible_to, courts_visible_to, officials_visible_to
from cases.choices import DefendantCapacity, Outcome
from cases.models import Case, Defendant, Dispute
from cases.selectors import cases_visible_to
from litigation.api import ScopedPrimaryKeyRelatedField


class DefendantSerializer(serializers.ModelSerializer):
    agency = ScopedPrimaryKeyRelatedField(scope=agencies_visible_to, queryset=Agency.objects.all())
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_null=True, required=False)
    head_waived = serializers.BooleanField(required=False, default=False)
    capacity = serializers.ChoiceField(
        choices=DefendantCapacity.choices, required=False, default=DefendantCapacity.ACTED
    )

    class Meta:
        model = Defendant
        fields = ["agency", "outcome", "head_waived", "capacity"]
        validators = []


class CaseSerializer(serializers.ModelSerializer):
    number = serializers.CharField(
        max_length=60, help_text="案号; ASCII parentheses are accepted and stored full-width."
    )
    court = ScopedPrimaryKeyRelatedField(scope=courts_visible_to, queryset=Court.objects.all())
    defendants = DefendantSerializer(many=True)
    previous_case = ScopedPrimaryKeyRelatedField(
        scope=cases_visible_to, queryset=Case.objects.all(), allow_null=True, required=False
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The version read; send it back on PUT/PATCH (a stale one answers 409).",
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "court",
            "filed_on",
            "stage",
            "plaintiff_name",
            "plaintiff_kind",
            "cause",
            "defendants",
            "concluded_on",
            "version",
            "domain",
            "compensation_claimed",
            "challenged_act",
            "previous_case",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["stage", "created_at", "updated_at"]
        validators = []


class DisputeSerializer(serializers.ModelSerializer):
    agency = ScopedPrimaryKeyRelatedField(scope=agencies_visible_to, queryset=Agency.objects.all())
    case = ScopedPrimaryKeyRelatedField(
        scope=cases_visible_to, queryset=Case.objects.all(), allow_null=True, required=False
    )
    heads = ScopedPrimaryKeyRelatedField(
        scope=officials_visible_to, queryset=Official.objects.all(), many=True, required=False
    )

    class Meta:
        model = Dispute
        fields = [
            "id",
            "agency",
            "received_on",
            "resolved_on",
            "status",
            "head_participated",
            "case",
            "summary",
            "heads",
        ]
        validators = []
