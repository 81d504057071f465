"""Read the English catalogue and the portal's source strings with plain Python (no gettext tools).

`read_po` is a small reader for the subset of the PO format that makemessages writes; `source_msgids`
finds the strings the portal translates at run time: gettext calls in Python, by the function's name
as xgettext does (and also inside f-strings, where xgettext 0.21 does not look), and
{% translate %} / {% blocktranslate %} / _("…") in templates, through Django's own `templatize`, the
step makemessages runs before xgettext.
"""

import ast
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation.template import templatize

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

# The trees makemessages scans, less what the team runs it with --ignore for (and the tests).
SKIPPED_DIRS = {"node_modules", "staticfiles", "artifacts", "locale", "static", "tests", "__pycache__"}
SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "ugettext", "ugettext_lazy"}
PLURAL = {"ngettext", "ngettext_lazy", "ungettext", "ungettext_lazy"}
CONTEXT = {"pgettext", "pgettext_lazy"}
CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), body)


def read_po(path: Path = PO_PATH) -> list[Entry]:
    """Every entry of a PO file, the header (msgid "") included."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    obsolete = False
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#~"):
            obsolete, line = True, line[2:].strip()
            if not line:
                continue
        elif line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        elif line.startswith("#") or not line:
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            kind, index = target
            if kind == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, kind, getattr(current, kind) + _unquote(line))
            continue
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr):
            current = Entry(msgid="", flags=flags, obsolete=obsolete, line=number)
            entries.append(current)
            flags, obsolete = set(), False
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            kind = {"msgctxt": "msgctxt", "msgid": "msgid", "msgid_plural": "msgid_plural"}[keyword]
            setattr(current, kind, _unquote(rest))
            target = (kind, 0)
    return entries


def _call_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _strings(args, positions):
    values = []
    for position in positions:
        if len(args) <= position or not isinstance(args[position], ast.Constant):
            return None
        if not isinstance(args[position].value, str):
            return None
        values.append(args[position].value)
    return values


def _python_msgids(source: str) -> set[tuple[str | None, str]]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name in SINGULAR or name in PLURAL:
            values = _strings(node.args, [0])
            if values:
                found.add((None, values[0]))
        elif name in CONTEXT or name in CONTEXT_PLURAL:
            values = _strings(node.args, [0, 1])
            if values:
                found.add((values[0], values[1]))
    return found


def source_msgids() -> dict[tuple[str | None, str], str]:
    """(context, msgid) → the first file that uses it."""
    found: dict[tuple[str | None, str], str] = {}
    base = Path(settings.BASE_DIR)
    for path in _source_files(base):
        if path.suffix == ".py":
            keys = _python_msgids(path.read_text(encoding="utf-8"))
        else:
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            keys = _python_msgids(_as_python(code))
        for key in keys:
            found.setdefault(key, str(path.relative_to(base)))
    return found


def _source_files(base: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(base):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS and not d.endswith(".egg-info")
        )
        files += [Path(root) / name for name in sorted(names) if name.endswith((".py", ".html", ".txt"))]
    return files


_STRING = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_CALL = re.compile(rf"\b(?:n?p?gettext|_)\(\s*{_STRING}(?:\s*,\s*{_STRING})*", re.S)


def _as_python(code: str) -> str:
    """templatize() writes the template's strings as Python-like calls amid filler; keep the calls."""
    return "\n".join(match[0] + ")" for match in _CALL.finditer(code))
