"""A technology need's life on a real database: post, edit, close, withdraw; who may do what."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.audit_models import AuditEntry
from core.domain import NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.outbox import OutboxEvent
from listings import needs
from listings.models import TechNeed
from listings.need_rules import NeedNotAllowed, NeedStatus
from tests import factories


def _events(need_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(OutboxEvent.key).where(
                OutboxEvent.topic == needs.SEARCH_TOPIC, OutboxEvent.key == str(need_id)
            )
        )
    )


def test_a_verified_enterprise_posts_an_open_need_audited_and_queued_for_search(
    db_session, clock
) -> None:
    buyer = factories.enterprise(clock())
    need = factories.need(buyer, clock(), ipc_classes=("h01m 4 / 525", "H01M"))
    assert need.status == NeedStatus.OPEN
    assert need.organisation_id == buyer.organisation_id
    assert need.ipc_classes == ["H01M 4/525", "H01M"]
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.object_type == "need", AuditEntry.object_id == need.id)
    )
    assert entry is not None and entry.action == "need.post" and entry.actor_id == buyer.id
    assert _events(need.id) == [str(need.id)]


@pytest.mark.parametrize(
    ("maker", "code"),
    [
        (lambda now: factories.seller(now), "not_an_enterprise"),
        (lambda now: factories.enterprise(now, verified=False), "organisation_not_verified"),
    ],
)
def test_only_verified_enterprises_may_post(db_session, clock, maker, code) -> None:
    with pytest.raises(PermissionDenied) as refused:
        factories.need(maker(clock()), clock())
    assert refused.value.code == code
    db.session.rollback()
    assert db.session.scalar(select(TechNeed.id)) is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"problem": "太短"}, "problem"),
        ({"field": "astrology"}, "field"),
        ({"transfer_modes": ()}, "transfer_modes"),
        ({"ipc_classes": ("not-ipc",)}, "ipc_classes"),
        ({"budget_min_minor": 90_000_000, "budget_max_minor": 10_000_000}, "budget_max"),
        ({"budget_min_minor": 0}, "budget_min"),
        ({"deadline": date(2026, 3, 1)}, "deadline"),
        ({"min_trl": 10}, "min_trl"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(
    db_session, clock, overrides, field
) -> None:
    buyer = factories.enterprise(clock())
    with pytest.raises(ValidationFailed) as refused:
        factories.need(buyer, clock(), **overrides)
    assert refused.value.field == field
    assert refused.value.text()
    db.session.rollback()
    assert db.session.scalar(select(TechNeed.id)) is None


def test_the_enterprise_edits_its_open_need_and_the_edit_is_audited(db_session, clock) -> None:
    buyer = factories.enterprise(clock())
    need = factories.need(buyer, clock())
    clock.advance(hours=1)
    needs.update_need(
        buyer, need.id, factories.need_input(title="寻求固态电池电解质技术"), now=clock()
    )
    assert db.session.get(TechNeed, need.id).title == "寻求固态电池电解质技术"
    update = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "need.update", AuditEntry.object_id == need.id
        )
    )
    assert update.before["title"] == "寻求高镍正极材料循环寿命提升技术"
    assert update.after["title"] == "寻求固态电池电解质技术"
    assert len(_events(need.id)) == 2


def test_another_organisation_cannot_edit_close_or_withdraw(db_session, clock) -> None:
    buyer = factories.enterprise(clock())
    other = factories.enterprise(clock())
    need = factories.need(buyer, clock())
    with pytest.raises(PermissionDenied):
        needs.update_need(other, need.id, factories.need_input(), now=clock())
    with pytest.raises(PermissionDenied):
        needs.close_need(other, need.id, now=clock())
    with pytest.raises(PermissionDenied):
        needs.withdraw_need(other, need.id, now=clock())
    assert db.session.get(TechNeed, need.id).status == NeedStatus.OPEN


def test_closing_records_why_and_a_closed_need_is_frozen_and_private(db_session, clock) -> None:
    buyer = factories.enterprise(clock())
    stranger = factories.enterprise(clock())
    need = factories.need(buyer, clock())
    needs.close_need(buyer, need.id, now=clock(), reason="已与高校签约")
    closed = db.session.get(TechNeed, need.id)
    assert closed.status == NeedStatus.CLOSED and closed.close_reason == "已与高校签约"
    with pytest.raises(NeedNotAllowed):
        needs.update_need(buyer, need.id, factories.need_input(), now=clock())
    with pytest.raises(NeedNotAllowed):
        needs.withdraw_need(buyer, need.id, now=clock())
    assert needs.visible_need(buyer, need.id).id == need.id
    with pytest.raises(NotFound):
        needs.visible_need(stranger, need.id)
    with pytest.raises(NotFound):
        needs.visible_need(None, need.id)
    assert needs.visible_need(factories.platform_reviewer(clock()), need.id).id == need.id


def test_withdrawn_needs_leave_the_open_count_and_stay_in_my_needs(db_session, clock) -> None:
    buyer = factories.enterprise(clock())
    first = factories.need(buyer, clock())
    factories.need(buyer, clock(), title="寻求工业视觉检测算法")
    needs.withdraw_need(buyer, first.id, now=clock())
    assert needs.open_count() == 1
    assert len(needs.needs_of(buyer)) == 2
    assert [n.id for n in needs.needs_of(buyer, NeedStatus.WITHDRAWN)] == [first.id]
    assert needs.count_by_status(buyer) == {"open": 1, "withdrawn": 1}
