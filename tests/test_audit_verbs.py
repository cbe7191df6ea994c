"""Audit verbs come from catalogues, and record() checks each event against its verb."""

import ast

import pytest
from django.apps import apps

from portal.accounts.audit_verbs import AccountsVerb
from portal.audit.models import AuditEvent
from portal.audit.services import IncompleteAuditEvent, record
from portal.audit.verbs import UnknownAuditVerb, all_verbs, catalogued
from portal.workflow.lifecycle import Lifecycle
from tests.support.processes import ROOT, run_python


def test_every_verb_is_named_for_its_domain_and_listed_once():
    verbs = [verb.value for verb in all_verbs()]
    assert len(verbs) == len(set(verbs))
    for verb in all_verbs():
        if not type(verb).__module__.startswith("portal."):
            continue  # a test's own verbs
        domain = type(verb).__module__.split(".")[1]
        assert verb.value.startswith(f"{domain}."), verb


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["accounts.signed_in", "accounts.signed_in_typo", ""])
def test_record_refuses_a_verb_given_as_text_even_a_catalogued_one(text):
    """Only enum members: mypy rejects a str at the call (the signature says AuditVerb), and
    a caller that slips past the type checker is refused before anything is written."""
    with pytest.raises(TypeError, match="AuditVerb member"):
        record(verb=text, data={"method": "totp"})
    assert not AuditEvent.objects.exists()


def test_catalogue_lookup_refuses_a_verb_no_catalogue_lists():
    with pytest.raises(UnknownAuditVerb):
        catalogued("accounts.signed_in_typo")
    assert catalogued("accounts.signed_in") is AccountsVerb.SIGNED_IN


def test_every_lifecycle_action_writes_a_catalogued_verb():
    """A transition with no verb of its own writes "<audit_prefix>.<action>"; each must be in
    a catalogue, or that transition would fail the first time it runs."""
    found = [getattr(model, "lifecycle", None) for model in apps.get_models()]
    lifecycles = [lifecycle for lifecycle in found if isinstance(lifecycle, Lifecycle)]
    assert lifecycles
    missing = [
        f"{lifecycle.audit_prefix}.{move.action}"
        for lifecycle in lifecycles
        for move in lifecycle.transitions
        if f"{lifecycle.audit_prefix}.{move.action}" not in {verb.value for verb in all_verbs()}
    ]
    assert missing == []


@pytest.mark.django_db
def test_record_refuses_an_event_without_the_keys_its_verb_needs():
    with pytest.raises(IncompleteAuditEvent, match="must say method"):
        record(verb=AccountsVerb.SIGNED_IN, data={"how": "totp"})
    event = record(verb=AccountsVerb.SIGNED_IN, data={"method": "totp"})
    assert event.verb == "accounts.signed_in"


def _verbs_written_in(tree: ast.AST) -> set[str]:
    """Verbs given as text: `verb="..."` in any call (both arms of a conditional too), and
    the first argument of the portal's `_record...` helpers."""
    found: set[str] = set()

    def texts(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.IfExp):
            return texts(node.body) + texts(node.orelse)
        return []

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "verb":
                found.update(texts(keyword.value))
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name.startswith("_record") and node.args:
            found.update(texts(node.args[0]))
    return found


def test_no_verb_is_written_as_text_in_the_portal():
    """record() refuses text at run time; this finds it in code no test happens to run."""
    written = set()
    for path in (ROOT / "portal").rglob("*.py"):
        written |= {
            (verb, str(path.relative_to(ROOT)))
            for verb in _verbs_written_in(ast.parse(path.read_text()))
        }
    assert written == set()


def test_mypy_rejects_a_verb_given_as_text():
    """The type checker refuses text where record() wants a catalogue member (and accepts the
    member), so a verb typed as text never reaches a branch."""
    program = "\n".join(
        [
            "from portal.accounts.audit_verbs import AccountsVerb",
            "from portal.audit.services import record",
            'record(verb="accounts.signed_in", data={"method": "totp"})',
            'record(verb=AccountsVerb.SIGNED_IN, data={"method": "totp"})',
        ]
    )
    checked = run_python("-m", "mypy", "-c", program)
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, checked.stdout + checked.stderr
    assert errors[0].startswith("<string>:3:")
    assert 'incompatible type "str"; expected "AuditVerb"' in errors[0]


def test_no_catalogued_verb_is_spelt_out_in_the_portal():
    """Not in a call, nor in a table a call reads from: outside the catalogues (of verbs, and
    of error codes, which may share a text), a verb's text appears nowhere (a table of texts
    would reach record() only when that row runs)."""
    known = {verb.value for verb in all_verbs()}
    spelt = set()
    for path in (ROOT / "portal").rglob("*.py"):
        if path.name in ("audit_verbs.py", "errors.py") or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in known:
                spelt.add((node.value, str(path.relative_to(ROOT))))
    assert spelt == set()
