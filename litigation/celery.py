"""The Celery app. Tasks live in the apps' tasks.py; the beat schedule is in reports.schedule."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "litigation.settings.local")

app = Celery("litigation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
