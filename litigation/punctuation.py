"""`{% p "：" %}`: Chinese punctuation written between translated words in a template, given in the
reader's language (a built-in tag: no {% load %} needed). "原告{% p '：' %}张三" reads 原告：张三 in
Chinese and "Plaintiff: 张三" in English."""

from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

PUNCTUATION = {
    "：": pgettext_lazy("punctuation", "："),
    "（": pgettext_lazy("punctuation", "（"),
    "）": pgettext_lazy("punctuation", "）"),
    "、": pgettext_lazy("punctuation", "、"),
    "；": pgettext_lazy("punctuation", "；"),
    "，": pgettext_lazy("punctuation", "，"),
}


@register.simple_tag(name="p")
def punctuation(mark: str) -> str:
    return str(PUNCTUATION[mark])
