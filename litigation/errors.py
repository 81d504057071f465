from django.utils.translation import gettext_lazy as _


class StaleVersion(Exception):
    """Someone else saved the object since the caller read it; nothing was changed."""

    def __init__(self, current_version: int):
        self.current_version = current_version
        super().__init__(
            _("该记录已被他人修改（当前版本 %(version)s），您的修改未保存。请刷新后重试。")
            % {"version": current_version}
        )
