"""Forms of the case pages. They check the shape of the input; cases.services decides and writes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Court

from .case_numbers import parse_case_number
from .choices import DefendantCapacity, Outcome, PlaintiffKind
from .models import Case, Domain
from .services import DefendantInput

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def agency_choices(agencies) -> list[tuple[str, str]]:
    """Agency options labelled "name（parent）", built once and shared by every defendant row."""
    return [("", "———")] + [
        (str(a.pk), f"{a.name}（{a.parent.name}）" if a.parent_id else a.name)
        for a in agencies.select_related("parent").order_by("path")
    ]


class CaseForm(forms.Form):
    # Service error keys that name a model field shown here under another name.
    FIELD_OF_ERROR = {"previous_case": "previous_number"}

    number = forms.CharField(
        label=_("案号"),
        max_length=60,
        help_text=_("如（2023）鲁1502行初123号；半角括号亦可。"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}),
    )
    court = forms.ModelChoiceField(label=_("法院"), queryset=Court.objects.none(), empty_label="———")
    filed_on = forms.DateField(label=_("立案日期"), widget=DATE_INPUT)
    plaintiff_name = forms.CharField(label=_("原告"), max_length=200)
    plaintiff_kind = forms.ChoiceField(label=_("原告类型"), choices=PlaintiffKind.choices)
    cause = forms.CharField(label=_("案由"), max_length=200)
    domain = forms.ModelChoiceField(
        label=_("行政管理领域"), queryset=Domain.objects.none(), required=False, empty_label="———"
    )
    compensation_claimed = forms.BooleanField(label=_("一并提起行政赔偿"), required=False)
    challenged_act = forms.CharField(
        label=_("被诉行政行为"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    previous_number = forms.CharField(
        label=_("原审案号"),
        max_length=60,
        required=False,
        help_text=_("二审（行终）、再审（行再、行申）案件填写其所继续的案件的案号。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    concluded_on = forms.DateField(label=_("结案日期"), required=False, widget=DATE_INPUT)
    version = forms.IntegerField(label=_("版本"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, courts, instance: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = courts
        domains = Domain.objects.filter(is_active=True)
        if instance is not None and instance.domain_id:
            domains = domains | Domain.objects.filter(pk=instance.domain_id)
        self.fields["domain"].queryset = domains

    def clean_number(self) -> str:
        """Checked here too, so that a malformed 案号 is reported with the other missing fields."""
        try:
            return str(parse_case_number(self.cleaned_data["number"]))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def clean_previous_number(self) -> Case | None:
        """The previous instance, found by its 案号 among all cases (it is usually at another court)."""
        raw = self.cleaned_data["previous_number"].strip()
        if not raw:
            return None
        try:
            number = str(parse_case_number(raw))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise ValidationError(
                _("未找到案号为 %(number)s 的案件：请先登记原审案件，或将此栏留空。"),
                params={"number": number},
            )
        return case

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["previous_case"] = data.pop("previous_number")
        return data


class DefendantForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("被告机关"), queryset=Agency.objects.none())
    capacity = forms.ChoiceField(
        label=_("被告身份"), choices=DefendantCapacity.choices, initial=DefendantCapacity.ACTED
    )
    outcome = forms.ChoiceField(
        label=_("裁判结果"), choices=[("", _("（未结）"))] + list(Outcome.choices), required=False
    )
    head_waived = forms.BooleanField(label=_("法院指定共同被告负责人出庭"), required=False)

    def __init__(self, *args, agencies, choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        field.queryset = agencies
        field.choices = choices  # a fixed list: rendering N rows runs no query per row

    def as_input(self) -> DefendantInput:
        data = self.cleaned_data
        return DefendantInput(
            agency=data["agency"],
            capacity=data["capacity"],
            outcome=data["outcome"] or None,
            head_waived=data["head_waived"],
        )


class BaseDefendantFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        chosen = [
            f.cleaned_data["agency"] for f in self.forms if f.cleaned_data and not self._should_delete_form(f)
        ]
        if not chosen:
            raise ValidationError(_("至少须有一个被告机关。"))

    def inputs(self) -> list[DefendantInput]:
        return [f.as_input() for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]


def defendant_formset(*, data=None, defendants=(), agencies) -> BaseDefendantFormSet:
    """The defendant rows: one per existing defendant, or a single empty row for a new case."""
    initial = [
        {
            "agency": d.agency_id,
            "capacity": d.capacity,
            "outcome": d.outcome or "",
            "head_waived": d.head_waived,
        }
        for d in defendants
    ]
    formset_class = forms.formset_factory(
        DefendantForm,
        formset=BaseDefendantFormSet,
        extra=0 if initial else 1,
        can_delete=True,
        max_num=50,
    )
    return formset_class(
        data,
        initial=initial or None,
        prefix="defendants",
        form_kwargs={"agencies": agencies, "choices": agency_choices(agencies)},
    )
