"""Who hears of an objection to a public notice, and of the ruling."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from notifications.models import Notification
from tests import factories
from tests.integration.sales.trading import agreed, market
from trading import notices

REASONS = "The price is far below what comparable patents fetched last year."


def events_of(user_id: int) -> list[str]:
    return list(
        db.session.scalars(select(Notification.event).where(Notification.user_id == user_id))
    )


def test_the_parties_hear_of_an_objection_and_everyone_of_the_ruling(
    db_session, clock, upload_folder
):
    m = market(clock(), upload_folder)
    _, notice = agreed(m, clock())
    citizen = factories.seller(clock(), verified=False)
    objection = notices.lodge_objection(citizen, notice.id, REASONS, now=clock())
    assert events_of(m.seller.id).count("notice.objection") == 1
    assert events_of(m.buyer.id).count("notice.objection") == 1
    assert "notice.objection" not in events_of(citizen.id)

    notices.decide_objection(m.reviewer, objection.id, uphold=False, reason="无依据", now=clock())
    for user in (citizen, m.seller, m.buyer):
        assert events_of(user.id).count("notice.objection_decided") == 1
