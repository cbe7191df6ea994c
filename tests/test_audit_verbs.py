"""Audit verbs come from catalogues, and record() checks each event against its verb."""

import pytest

from portal.accounts.audit_verbs import AccountsVerb
from portal.audit.models import AuditEvent
from portal.audit.services import IncompleteAuditEvent, record
from portal.audit.verbs import UnknownAuditVerb, all_verbs


def test_every_verb_is_named_for_its_domain_and_listed_once():
    verbs = [verb.value for verb in all_verbs()]
    assert len(verbs) == len(set(verbs))
    for verb in all_verbs():
        if not type(verb).__module__.startswith("portal."):
            continue  # a test's own verbs
        domain = type(verb).__module__.split(".")[1]
        assert verb.value.startswith(f"{domain}."), verb


@pytest.mark.django_db
def test_record_refuses_a_verb_no_catalogue_lists():
    with pytest.raises(UnknownAuditVerb):
        record(verb="accounts.signed_in_typo", data={"method": "totp"})
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_record_refuses_an_event_without_the_keys_its_verb_needs():
    with pytest.raises(IncompleteAuditEvent, match="must say method"):
        record(verb=AccountsVerb.SIGNED_IN, data={"how": "totp"})
    event = record(verb=AccountsVerb.SIGNED_IN, data={"method": "totp"})
    assert event.verb == "accounts.signed_in"
