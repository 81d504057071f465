"""API plumbing shared by every app: pagination, error shapes, scoped relations and the optimistic
lock over HTTP (`version` in the body, or `If-Match` with the ETag). The base viewset is in
litigation.viewsets: this module is loaded by DRF's settings and must not import DRF's views."""

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from litigation.errors import StaleVersion

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def validation_error_detail(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"detail": " ".join(exc.messages)}


def exception_handler(exc, context):
    """Model/service errors become the API.md shapes: 400 {"field": [..]}, 409 for a stale version or
    a write that lost a race to a database constraint."""
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StaleVersion):
        return Response({"detail": str(exc), "version": exc.current_version}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IntegrityError):
        # Validation passed but a concurrent writer got there first (e.g. the same 案号 twice at once).
        logger.warning("API write conflict: %s", exc)
        return Response(
            {"detail": _("保存时与他人同时提交的数据冲突，未保存任何修改。请刷新后重试。")},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id looked up among the objects the requesting user may see (`scope(user)`).

    An id outside the scope answers 400 "object does not exist", as for an unknown id, so the
    existence of objects outside the caller's scope does not leak. Keeping the current value of an
    object being edited is always accepted (an officer may PUT their own government back with its
    parent, which lies outside their scope).
    """

    def __init__(self, scope: Callable[..., QuerySet] | None = None, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if self.scope is None or request is None:
            return super().get_queryset()
        return self.scope(request.user)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            current = self._current_value()
            if current is not None and str(current.pk) == str(data):
                return current
            raise

    def _current_value(self) -> Model | None:
        instance = getattr(self.parent, "instance", None)
        if not isinstance(instance, Model) or not self.source or "." in self.source:
            return None
        return getattr(instance, self.source, None)


VERSION_FIELD = "version"


def etag_of(instance: Model) -> str | None:
    """The ETag of an object with a `version`: the version, quoted."""
    version = getattr(instance, VERSION_FIELD, None)
    return None if version is None else f'"{version}"'


def _if_match_versions(request) -> list[int] | None:
    """The versions named by If-Match; None when absent or `*`; an unreadable tag never matches."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    versions = []
    for tag in header.split(","):
        tag = tag.strip().removeprefix("W/").strip('"')
        versions.append(int(tag) if tag.isdigit() else -1)
    return versions


def expected_version(request, instance: Model, body_version: int | None) -> int | None:
    """The version a write claims to have read, from the body or If-Match (None: last write wins).

    A body version and an If-Match that disagree cannot both be current: that is stale too.
    """
    tagged = _if_match_versions(request)
    if tagged is None:
        return body_version
    current = getattr(instance, VERSION_FIELD)
    candidates = [v for v in tagged if body_version is None or v == body_version]
    if not candidates:
        raise StaleVersion(current)
    return current if current in candidates else candidates[0]
