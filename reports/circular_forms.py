from django import forms
from django.utils.translation import gettext_lazy as _

from .circular_models import Circular, WebhookEndpoint
from .circulars import TEXT_FIELDS


class CircularTextsForm(forms.ModelForm):
    """The covering texts of a draft; the figures come from the rankings and are not edited here."""

    class Meta:
        model = Circular
        fields = list(TEXT_FIELDS)
        widgets = {
            "addressee": forms.Textarea(attrs={"rows": 2}),
            "opening": forms.Textarea(attrs={"rows": 5}),
            "requirements": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "mark": _("红色版头，如“聊城市司法局文件”或“聊城市人民政府”。"),
            "addressee": _("主送机关，最后一个机关名称后标全角冒号。"),
            "opening": _("每段一行。"),
            "requirements": _("每段一行，如“（一）……”。"),
            "signature": _("落款的发文机关署名。"),
        }


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=_("接收地址"),
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description"]
