"""Legal status: the latest record is in force; a dead patent is never offered or sold; a
pledged one only with its pledgee's consent to that very purpose (民法典 Art. 444)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import ValidationFailed
from listings.legal_rules import (
    DEAD,
    LegalStatus,
    LegalStatusRefused,
    Purpose,
    StatusRecord,
    check_may_dispose,
    check_may_publish,
    check_record,
    current,
)

records = st.lists(
    st.builds(
        StatusRecord,
        st.sampled_from(list(LegalStatus)),
        st.dates(date(2000, 1, 1), date(2040, 1, 1)),
        st.integers(1, 10_000),
        st.sampled_from([None, "江城银行"]),
    ),
    max_size=12,
)


@given(records)
def test_the_status_in_force_is_the_latest_by_date_then_by_recording(found: list[StatusRecord]) -> None:  # fmt: skip
    latest = current(found)
    if not found:
        assert latest is None
        return
    assert latest is not None
    assert all((r.effective_on, r.seq) <= (latest.effective_on, latest.seq) for r in found)


@given(st.sampled_from(list(LegalStatus)), st.sampled_from(list(Purpose)), st.booleans())
def test_a_disposal_is_refused_exactly_when_dead_or_pledged_without_consent(
    status: LegalStatus, purpose: Purpose, consented: bool
) -> None:
    record = StatusRecord(status, date(2026, 1, 1), 1, "江城银行" if status == LegalStatus.PLEDGED else None)  # fmt: skip
    consents = [("江城银行", purpose)] if consented else [("江城银行", next(p for p in Purpose if p != purpose))]  # fmt: skip
    refused = status in DEAD or (status == LegalStatus.PLEDGED and not consented)
    if refused:
        with pytest.raises(LegalStatusRefused):
            check_may_dispose("201510123456.1", record, purpose, consents)
    else:
        check_may_dispose("201510123456.1", record, purpose, consents)


def test_another_pledgees_consent_does_not_count() -> None:
    record = StatusRecord(LegalStatus.PLEDGED, date(2026, 1, 1), 1, "江城银行")
    with pytest.raises(LegalStatusRefused) as refused:
        check_may_dispose(
            "201510123456.1", record, Purpose.TRANSFER, [("另一家银行", Purpose.TRANSFER)]
        )
    assert refused.value.code == "pledged"


def test_nothing_recorded_refuses_nothing_and_a_pledge_may_be_published() -> None:
    check_may_dispose("201510123456.1", None, Purpose.TRANSFER, [])
    check_may_publish("201510123456.1", StatusRecord(LegalStatus.PLEDGED, date(2026, 1, 1), 1, "江城银行"))  # fmt: skip
    with pytest.raises(LegalStatusRefused):
        check_may_publish("201510123456.1", StatusRecord(LegalStatus.LAPSED, date(2026, 1, 1), 1))


def test_a_record_names_its_source_and_a_pledge_its_pledgee() -> None:
    with pytest.raises(ValidationFailed) as no_source:
        check_record(LegalStatus.GRANTED, None, " ")
    assert no_source.value.field == "source"
    with pytest.raises(ValidationFailed) as no_pledgee:
        check_record(LegalStatus.PLEDGED, "", "登记簿")
    assert no_pledgee.value.field == "pledgee"
