"""Filters shared by the apps' FilterSets."""

import django_filters
from django import forms

MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """An id in a query string: a whole number that fits the id columns, else a clear 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
