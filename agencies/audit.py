"""The audit trail officers read: django-simple-history records shown as who, when, field: before → after.

Each app lists the models of the officers' recent-changes page in its own `audit.py` with
`register_feed_source(...)`, together with the rule that scopes their history rows to a government:
this app knows no case or hearing. Everything here runs a fixed number of queries per page, whatever
the number of records on it.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Agency, Official, Position

EMPTY = "—"
KIND_LABELS = {"+": gettext_lazy("新建"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    record: models.Model
    kind: str
    changes: list[Change] = field(default_factory=list)
    source: "FeedSource | None" = None
    title: str = ""
    url: str | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def kind_class(self) -> str:
        return {"+": "ok", "~": "warn", "-": "bad"}.get(self.kind, "muted")

    @property
    def user(self):
        return self.record.history_user

    @property
    def date(self) -> datetime.datetime:
        return self.record.history_date


class Names:
    """Collects (model, pk) pairs, then turns each into a display name with one query per model."""

    def __init__(self) -> None:
        self._wanted: dict[type[models.Model], set] = defaultdict(set)
        self._names: dict[tuple[type[models.Model], object], str] = {}

    def want(self, model: type[models.Model], pk) -> None:
        if pk is not None:
            self._wanted[model].add(pk)

    def resolve(self) -> None:
        for model, pks in self._wanted.items():
            # str() of a related row may read its required foreign keys (a hearing names its case).
            joins = [f.name for f in model._meta.concrete_fields if f.many_to_one and not f.null]
            for obj in model._base_manager.filter(pk__in=pks).select_related(*joins):
                self._names[(model, obj.pk)] = str(obj)
        self._wanted.clear()

    def get(self, model: type[models.Model], pk) -> str:
        if pk is None:
            return EMPTY
        name = self._names.get((model, pk))
        return name if name is not None else _("#%(pk)s（已删除）") % {"pk": pk}


def _diff_fields(record) -> list[models.Field]:
    """The fields a person edits (not the id, nor derived ones such as `path` or `version`)."""
    return [f for f in record.tracked_fields if f.editable and not f.primary_key and not f.many_to_many]


def _display(field: models.Field, value, names: Names) -> str:
    if value is None or value == "":
        return EMPTY
    if field.many_to_one:
        return names.get(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return str(value)


def _pairs(record, previous) -> list[tuple[models.Field, object, object]]:
    """(field, before, after) for every field that changed; a new record lists its filled fields."""
    out = []
    for f in _diff_fields(record):
        new = getattr(record, f.attname)
        if previous is None:
            if new not in (None, "", False):
                out.append((f, None, new))
        else:
            old = getattr(previous, f.attname)
            if old != new:
                out.append((f, old, new))
    return out


def build_entries(pairs: Iterable[tuple[models.Model, models.Model | None]], names: Names) -> list[Entry]:
    """Entries for (record, the record before it or None); `names` must not be resolved yet."""
    staged = []
    for record, previous in pairs:
        kind = record.history_type
        changes = [] if kind == "-" else _pairs(record, previous if kind == "~" else None)
        for f, old, new in changes:
            if f.many_to_one:
                names.want(f.related_model, old)
                names.want(f.related_model, new)
        staged.append((record, kind, changes))
    names.resolve()
    return [
        Entry(
            record=record,
            kind=kind,
            changes=[
                Change(str(f.verbose_name), _display(f, old, names), _display(f, new, names))
                for f, old, new in changes
            ],
        )
        for record, kind, changes in staged
    ]


def object_history(obj: models.Model, *, offset: int = 0, limit: int = 50) -> tuple[list[Entry], bool]:
    """The change log of one object, newest first: `limit` records from `offset`, and whether more follow."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            offset : offset + limit + 1
        ]
    )
    # The record after the page is only the "before" of the page's oldest one.
    pairs = [(r, records[i + 1] if i + 1 < len(records) else None) for i, r in enumerate(records[:limit])]
    return build_entries(pairs, Names()), len(records) > limit


# The recent-changes feed ---------------------------------------------------------------------


@dataclass(frozen=True)
class FeedSource:
    """One audited model on the recent-changes page.

    `scope(root)` gives a filter (Q or expression) over the model's history rows that keeps those in
    the scope of the agency `root`; `title_refs` names the foreign keys `title` reads through `names`;
    `url` links a row to its page (or None).
    """

    model: type[models.Model]
    scope: Callable[[Agency], object]
    title: Callable[[models.Model, Names], str]
    title_refs: tuple[str, ...] = ()
    url: Callable[[models.Model], str | None] | None = None

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def label(self) -> str:
        return self.model._meta.verbose_name

    @property
    def history_model(self) -> type[models.Model]:
        return self.model.history.model

    def link(self, record) -> str | None:
        if self.url is None or record.history_type == "-":
            return None
        try:
            return self.url(record)
        except NoReverseMatch:
            return None


_SOURCES: dict[str, FeedSource] = {}
_discovered = False


def register_feed_source(source: FeedSource) -> None:
    _SOURCES[source.key] = source


def feed_sources() -> list[FeedSource]:
    global _discovered
    if not _discovered:
        autodiscover_modules("audit")
        _discovered = True
    return list(_SOURCES.values())


def feed(root: Agency | None, sources: list[FeedSource]):
    """(history_date, history_id, source index) of every row in scope, newest first, as one UNION query."""
    parts = []
    for index, source in enumerate(sources):
        qs = source.history_model.objects.all()
        if root is not None:
            qs = qs.filter(source.scope(root))
        parts.append(
            qs.annotate(source_index=Value(index, output_field=models.IntegerField()))
            .order_by()
            .values_list("history_date", "history_id", "source_index")
        )
    if not parts:
        return []
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("-history_date", "-history_id")


def feed_entries(rows: Iterable[tuple], sources: list[FeedSource]) -> list[Entry]:
    """Entries for one page of `feed()`: two queries per source, plus one per model named."""
    rows = list(rows)
    by_source: dict[int, list[int]] = defaultdict(list)
    for _date, history_id, index in rows:
        by_source[index].append(history_id)
    records: dict[tuple[int, int], models.Model] = {}
    previous: dict[tuple[int, int], models.Model] = {}
    for index, ids in by_source.items():
        history = sources[index].history_model
        earlier = (
            history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        found = list(
            history.objects.filter(history_id__in=ids)
            .select_related("history_user")
            .annotate(previous_history_id=Subquery(earlier))
        )
        before = {
            r.history_id: r
            for r in history.objects.filter(
                history_id__in=[r.previous_history_id for r in found if r.previous_history_id]
            )
        }
        for r in found:
            records[(index, r.history_id)] = r
            previous[(index, r.history_id)] = before.get(r.previous_history_id)
    names = Names()
    ordered = [(index, records[(index, hid)]) for _d, hid, index in rows if (index, hid) in records]
    for index, record in ordered:
        source = sources[index]
        for ref in source.title_refs:
            f = source.model._meta.get_field(ref)
            names.want(f.related_model, getattr(record, f.attname))
    entries = build_entries([(r, previous[(i, r.history_id)]) for i, r in ordered], names)
    for (index, record), entry in zip(ordered, entries, strict=True):
        source = sources[index]
        entry.source = source
        entry.title = source.title(record, names)
        entry.url = source.link(record)
    return entries


def _position_title(record, names: Names) -> str:
    post = record.title or record.get_role_display()
    return f"{names.get(Official, record.official_id)} · {names.get(Agency, record.agency_id)} {post}"


def _position_url(record) -> str:
    return reverse("agencies:position_history", args=[record.id])


register_feed_source(
    FeedSource(
        model=Position,
        scope=lambda root: models.Q(agency__path__startswith=root.path),
        title=_position_title,
        title_refs=("agency", "official"),
        url=_position_url,
    )
)
