"""The English catalogue is complete, well-formed and compiled: every string the portal shows in
Chinese has an English translation that Django actually serves."""

import gettext
import re

import pytest
from django.utils import translation

from .catalogue import MO_PATH, PO_PATH, read_po, source_msgids

# A Python %-format directive: %(name)s, %d, %%, ...
DIRECTIVE = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def entries():
    return read_po()


@pytest.fixture(scope="module")
def messages(entries):
    """The translatable entries: no header, no obsolete leftovers."""
    return [e for e in entries if e.msgid and not e.obsolete]


def directives(text: str) -> list[tuple[str, str]]:
    return sorted((name or "", kind) for name, kind in DIRECTIVE.findall(text))


def test_header_declares_english_utf8_and_english_plural_forms(entries):
    header = entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    assert fields["Language"] == "en"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_every_message_has_a_translation_that_is_neither_empty_nor_fuzzy(messages):
    assert len(messages) > 800  # the whole portal, not a stub
    untranslated = [
        f"{PO_PATH.name}:{e.line} {e.msgid!r}"
        for e in messages
        if "fuzzy" in e.flags
        or not e.msgstr
        or any(not text.strip() for text in e.msgstr.values())
        or (e.msgid_plural is not None and sorted(e.msgstr) != [0, 1])
    ]
    assert untranslated == []


def test_translations_are_english_and_keep_every_placeholder(messages):
    wrong = []
    for e in messages:
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            if "python-format" in e.flags and directives(text) != directives(source):
                wrong.append(f"{e.line}: placeholders of {source!r} differ in {text!r}")
            if text == source and HAN.search(source):
                wrong.append(f"{e.line}: {source!r} is left in Chinese")
    assert wrong == []


def test_obsolete_entries_are_not_kept(entries):
    assert [e.msgid for e in entries if e.obsolete] == []


def test_the_compiled_catalogue_holds_exactly_what_the_po_file_says(messages):
    """The .mo the lead commits is compiled from this very .po (nothing stale, nothing missing)."""
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info()["language"] == "en"
    expected = {}
    for e in messages:
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[key] = e.msgstr[0]
        else:
            expected[(key, 0)] = e.msgstr[0]
            expected[(key, 1)] = e.msgstr[1]
    actual = {key: value for key, value in compiled._catalog.items() if key != ""}
    assert actual == expected
    assert compiled.gettext("案号") == "Case number"
    assert compiled.ngettext("共 %(n)s 件案件", "共 %(n)s 件案件", 1) == "%(n)s case"
    assert compiled.ngettext("共 %(n)s 件案件", "共 %(n)s 件案件", 3) == "%(n)s cases"


def test_every_string_in_the_source_is_in_the_catalogue(messages):
    """A string added to the code or templates without re-running makemessages (or one written
    where xgettext cannot see it) fails here, naming the file."""
    catalogued = {(e.msgctxt, e.msgid) for e in messages}
    missing = sorted(
        f"{where}: {msgid!r}"
        for (context, msgid), where in source_msgids().items()
        if (context, msgid) not in catalogued
    )
    assert missing == [], (
        "Run `manage.py makemessages -l en --no-obsolete ...`, translate and `compilemessages`. "
        "A gettext call inside an f-string is not extracted by xgettext 0.21: move it out of the f-string."
    )


def test_django_serves_english_from_the_catalogue_and_chinese_by_default():
    with translation.override("en"):
        assert translation.gettext("出庭应诉率") == "Head appearance rate"
        assert translation.gettext("主要负责人") == "Principal head"
        assert translation.ngettext("共 %(n)s 次庭审", "共 %(n)s 次庭审", 2) % {"n": 2} == "2 hearings"
    with translation.override("zh-hans"):
        assert translation.gettext("出庭应诉率") == "出庭应诉率"
