"""docs/adr/0007-i18n-policy.md: every message a user reads that Python writes goes through gettext
(flash messages, validation errors, refusals); templates hold their French text as it is."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ancrage

SRC = Path(ancrage.__file__).parent
MESSAGE_CALLS = {"success", "error", "warning", "info"}
ERRORS = {"ValidationError", "PermissionDenied", "MergeConflict", "PossibleDuplicate"}


def _is_text(node: ast.AST) -> bool:
    """A string literal or an f-string: French text that gettext never saw."""
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(
        node, ast.JoinedStr
    )


def untranslated(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        texts: list[ast.AST] = []
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "messages"
            and func.attr in MESSAGE_CALLS
            and len(node.args) >= 2
        ):
            texts = [node.args[1]]
        elif isinstance(func, ast.Name) and func.id in ERRORS and node.args:
            first = node.args[0]
            texts = list(first.values) if isinstance(first, ast.Dict) else [first]
        found += [ast.get_source_segment(source, t) or "" for t in texts if _is_text(t)]
    return found


def test_every_message_written_in_python_goes_through_gettext():
    offenders = [
        f"{path.relative_to(SRC)}: {text[:70]}"
        for path in sorted(SRC.rglob("*.py"))
        if "/migrations/" not in path.as_posix()
        for text in untranslated(path.read_text())
    ]
    assert offenders == [], "Wrap in _() (django.utils.translation):\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "snippet",
    [
        'messages.success(request, f"Fiche de {person} enregistrée.")',
        'raise ValidationError({"bed": "Ce lit est pris."})',
        'raise PermissionDenied("Interdit.")',
    ],
)
def test_the_guard_finds_a_message_written_without_gettext(snippet):
    assert untranslated(snippet) != []


def test_the_guard_lets_translated_messages_through():
    source = (
        'messages.success(request, _("Fiche de %(p)s enregistrée.") % {"p": person})\n'
        'raise ValidationError({"bed": _("Ce lit est pris.")})\n'
        "messages.error(request, message)\n"
    )
    assert untranslated(source) == []
