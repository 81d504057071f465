from django.core.checks import Warning, register

from .fonts import CJK_FONT_HINT, cjk_font_families


@register()
def cjk_font_check(app_configs, **kwargs):
    if cjk_font_families():
        return []
    return [Warning(CJK_FONT_HINT, id="reports.W001")]
