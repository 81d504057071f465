"""Forms of the hearing pages: they check the input's shape; hearings.services decides and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AbsenceReason, ExternalCapacity, HearingStatus

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
REASON_CHOICES = [("", _("（负责人出庭时不填）"))] + list(AbsenceReason.choices)


class HearingForm(forms.Form):
    """Schedule a hearing or change its date, time, courtroom and status."""

    date = forms.DateField(
        label=_("开庭日期"),
        widget=forms.DateInput(attrs={"type": "date", "autofocus": True}, format="%Y-%m-%d"),
    )
    time = forms.TimeField(label=_("开庭时间"), required=False, widget=TIME_INPUT)
    courtroom = forms.CharField(label=_("法庭"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=HearingStatus.choices, initial=HearingStatus.SCHEDULED
    )
    head_required = forms.BooleanField(
        label=_("法院要求负责人本次出庭（第七条）"),
        required=False,
        help_text=_(
            "法院要求负责人在本次开庭再次出庭时勾选；此次开庭无负责人出庭，该机关即不计为负责人出庭。"
        ),
    )
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(label=_("版本"), required=False, widget=forms.HiddenInput)

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class SheetForm(forms.Form):
    """The hearing itself on the hearing sheet."""

    status = forms.ChoiceField(label=_("庭审状态"), choices=HearingStatus.choices, widget=forms.RadioSelect)
    head_required = forms.BooleanField(label=_("法院要求负责人本次出庭（第七条）"), required=False)
    version = forms.IntegerField(label=_("版本"), widget=forms.HiddenInput)


class DefendantSheetForm(forms.Form):
    """One defendant agency's block: its officials present (and who spoke) and the absence explanation.

    `present` and `spoke` take official ids among the `officials` offered for this agency.
    """

    present = forms.MultipleChoiceField(label=_("出庭"), required=False, widget=forms.CheckboxSelectMultiple)
    spoke = forms.MultipleChoiceField(label=_("出声"), required=False, widget=forms.CheckboxSelectMultiple)
    absence_reason = forms.ChoiceField(label=_("负责人未出庭事由"), choices=REASON_CHOICES, required=False)
    explanation_filed = forms.BooleanField(label=_("已提交加盖公章的书面情况说明"), required=False)
    absence_detail = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, officials: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.officials = officials  # official id -> Official
        choices = [(str(pk), o.name) for pk, o in officials.items()]
        self.fields["present"].choices = choices
        self.fields["spoke"].choices = choices

    def clean(self):
        data = super().clean()
        present, spoke = set(data.get("present") or ()), set(data.get("spoke") or ())
        silent_absent = spoke - present
        if silent_absent:
            names = "、".join(self.officials[int(pk)].name for pk in sorted(silent_absent))
            self.add_error("spoke", _("%(names)s 勾选了“出声”但未勾选“出庭”。") % {"names": names})
        if not data.get("absence_reason") and (data.get("explanation_filed") or data.get("absence_detail")):
            self.add_error("absence_reason", _("填写情况说明时，请选择负责人未出庭的事由。"))
        return data

    def chosen(self) -> list[tuple[object, bool]]:
        """(official, spoke) for each official ticked as present."""
        spoke = set(self.cleaned_data["spoke"])
        return [(self.officials[int(pk)], pk in spoke) for pk in self.cleaned_data["present"]]


class PersonForm(forms.Form):
    """Someone who appeared by name (staff, lawyer, other): not an official of the agency."""

    person_name = forms.CharField(
        label=_("姓名"), max_length=100, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    capacity = forms.ChoiceField(
        label=_("身份"), choices=ExternalCapacity.choices, initial=ExternalCapacity.STAFF
    )
    spoke = forms.BooleanField(label=_("出声"), required=False)


PersonFormSet = forms.formset_factory(PersonForm, extra=1, max_num=30)


class FilingForm(forms.Form):
    """备案: the agency files the head who will appear."""

    official = forms.TypedChoiceField(label=_("拟出庭负责人"), coerce=int)

    def __init__(self, *args, heads: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].choices = [("", "———")] + heads


class AbsenceForm(forms.Form):
    """情况说明: why the agency's head cannot (or could not) appear."""

    reason = forms.ChoiceField(label=_("未出庭事由"), choices=[("", "———")] + list(AbsenceReason.choices))
    explanation_filed = forms.BooleanField(label=_("已提交加盖公章的书面情况说明"), required=False)
    detail = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
