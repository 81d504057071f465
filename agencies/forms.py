"""Forms of the directory pages. They validate input; the views write through agencies.services."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import AgencyKind, UserRole
from .models import Agency, Court, Official, Position, User

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KIND_ORDER = {kind: index for index, kind in enumerate(AgencyKind.values)}


def tree_order(agencies) -> list[tuple[Agency, int]]:
    """(agency, level) in tree order: each agency after its parent, siblings by kind then creation.

    Agencies whose parent is not in the list are the roots (level 0)."""
    agencies = list(agencies)
    ids = {a.pk for a in agencies}
    children: dict[int | None, list[Agency]] = {}
    for agency in agencies:
        children.setdefault(agency.parent_id if agency.parent_id in ids else None, []).append(agency)
    for siblings in children.values():
        siblings.sort(key=lambda a: (KIND_ORDER.get(a.kind, 99), a.pk))
    out: list[tuple[Agency, int]] = []
    stack = [(a, 0) for a in reversed(children.get(None, []))]
    while stack:
        agency, level = stack.pop()
        out.append((agency, level))
        stack.extend((child, level + 1) for child in reversed(children.get(agency.pk, [])))
    return out


def agency_choices(agencies, *, blank: bool = True) -> list[tuple]:
    """Choices for a select, indented as the tree."""
    choices = [("", "---------")] if blank else []
    choices += [(a.pk, "\u3000" * level + a.name) for a, level in tree_order(agencies)]
    return choices


def apply_errors(form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: next to its field, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.message_dict.items():
        key = (rename or {}).get(key, key)
        form.add_error(key if key in form.fields and key != NON_FIELD_ERRORS else None, errors)


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "kind", "parent", "active_from", "active_until", "circular_prefix", "email"]
        labels = {"circular_prefix": _("发文字号前缀")}
        widgets = {"active_from": DATE_WIDGET, "active_until": DATE_WIDGET}
        help_texts = {"circular_prefix": _("本机关印发通报的发文字号前缀，如：聊司通")}

    def __init__(self, *args, parents, parent_required: bool, parent_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        if parent_locked:
            # The top of an officer's scope keeps its parent, which lies outside that scope.
            field.queryset = Agency.objects.filter(pk=self.instance.parent_id)
            field.disabled = True
            field.required = False
            field.help_text = _("本级政府的上级机关由系统管理员维护。")
            return
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
        field.queryset = parents
        field.required = parent_required
        field.choices = agency_choices(parents.only("id", "name", "kind", "parent_id"))


class OfficialForm(forms.ModelForm):
    class Meta:
        model = Official
        fields = ["name", "phone", "email"]


class PositionForm(forms.ModelForm):
    """A post; the model's clean() refuses a second principal on the same day next to 角色."""

    class Meta:
        model = Position
        fields = ["official", "agency", "role", "title", "start_date", "end_date"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
        help_texts = {"end_date": _("任职的最后一天；现任留空。")}

    def __init__(self, *args, officials=None, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        if "official" in self.fields:
            self.fields["official"].queryset = officials
        self.fields["agency"].queryset = agencies
        self.fields["agency"].choices = agency_choices(agencies.only("id", "name", "kind", "parent_id"))


class FirstPostForm(PositionForm):
    """The post a new official takes up, entered with the official."""

    class Meta(PositionForm.Meta):
        fields = ["agency", "role", "title", "start_date", "end_date"]


class PositionEndForm(forms.Form):
    end_date = forms.DateField(label=_("离任日期"), widget=DATE_WIDGET, help_text=_("任职的最后一天。"))


class PrincipalChangeForm(forms.Form):
    """更换主要负责人: the sitting principal's post ends the day before `date`."""

    agency = forms.ModelChoiceField(label=_("机关"), queryset=Agency.objects.none())
    official = forms.ModelChoiceField(label=_("新任主要负责人"), queryset=Official.objects.none())
    date = forms.DateField(
        label=_("任职日期"),
        widget=DATE_WIDGET,
        help_text=_("新任主要负责人到任的第一天；原主要负责人的任职截至前一天。"),
    )
    title = forms.CharField(
        label=_("职务"),
        max_length=100,
        required=False,
        help_text=_("如：局长、县长；留空则沿用原主要负责人的职务。"),
    )

    def __init__(self, *args, agencies, officials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].choices = agency_choices(agencies.only("id", "name", "kind", "parent_id"))
        self.fields["official"].queryset = officials


class CourtForm(forms.ModelForm):
    class Meta:
        model = Court
        fields = ["name", "level", "code"]


class UserForm(forms.ModelForm):
    """A user of the officer's scope; the password is set here, never shown."""

    new_password = forms.CharField(
        label=_("密码"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "email", "role", "agency", "courts", "is_active"]
        labels = {
            "username": _("用户名"),
            "first_name": _("姓名"),
            "email": _("邮箱"),
            "is_active": _("启用"),
        }
        help_texts = {
            "courts": _("仅法院联络员需要指定。"),
            "is_active": _("停用后该用户不能登录，记录保留。"),
            "username": _("登录用，只能包含字母、数字和 @/./+/-/_。"),
        }
        widgets = {"courts": forms.CheckboxSelectMultiple}

    field_order = ["username", "first_name", "new_password", "email", "role", "agency", "courts", "is_active"]

    def __init__(self, *args, agencies, agency_required: bool, may_assign_courts: bool, **kwargs):
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        self.fields["role"].required = True
        roles = (
            UserRole.choices
            if may_assign_courts
            else [c for c in UserRole.choices if c[0] != UserRole.LIAISON]
        )
        self.fields["role"].choices = [("", "---------"), *roles]
        self.fields["agency"].queryset = agencies
        self.fields["agency"].required = agency_required
        self.fields["agency"].choices = agency_choices(agencies.only("id", "name", "kind", "parent_id"))
        self.fields["agency"].help_text = _(
            "司法局工作人员：本级政府；机关用户：本机关；接口客户端：发文机关；法院联络员：管理单位。"
        )
        self.fields["courts"].queryset = Court.objects.all() if may_assign_courts else Court.objects.none()
        self.fields["new_password"].required = creating
        self.fields["new_password"].help_text = (
            _("至少 8 位，不能全为数字。") if creating else _("留空则不修改密码。")
        )
