"""The SEPA payout file is valid pain.001.001.03 and carries exactly the batch's withdrawals."""

import xml.etree.ElementTree as ET

import pytest
from sepaxml.validation import ValidationError

from payouts.payments.sepa import batch_csv, batch_sepa_xml, validate_sepa_xml
from payouts.payments.withdrawals import payout_account_set, withdrawal_batch_create, withdrawal_create
from tests.factories import UserFactory
from tests.payouts.ledger_helpers import fund_and_release

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def test_sepa_file_validates_against_the_schema_and_sums_the_batch():
    for i, (iban, amount) in enumerate([("NL91ABNA0417164300", 1_234), ("DE89370400440532013000", 5_000)]):
        person = UserFactory(display_name=f"Zoë Ünal {i}")
        fund_and_release(milestone_id=i + 1, freelancer=person, client=person, amount_cents=10_000, fee="0")
        payout_account_set(user=person, iban=iban, holder_name=f"Zoë Ünal {i}", actor=person)
        withdrawal_create(user=person, amount_cents=amount, actor=person)
    batch = withdrawal_batch_create(actor=None)

    document = batch_sepa_xml(batch)

    validate_sepa_xml(document)
    root = ET.fromstring(document)
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId", NS).text == batch.message_id
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", NS).text == "62.34"
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", NS).text == "2"
    assert "Zoe Unal 0" in document.decode()
    assert batch_csv(batch).splitlines()[1].endswith(f"withdrawal W{batch.withdrawals.order_by('pk').first().pk}")


def test_a_tampered_file_fails_the_schema_check():
    document = (
        b'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">'
        b"<CstmrCdtTrfInitn><GrpHdr><MsgId>x</MsgId></GrpHdr></CstmrCdtTrfInitn></Document>"
    )
    with pytest.raises(ValidationError):
        validate_sepa_xml(document)
