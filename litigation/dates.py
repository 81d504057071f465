import datetime

from django.utils import timezone


def local_today() -> datetime.date:
    """Today in the portal's time zone (Asia/Shanghai)."""
    return timezone.localdate()
