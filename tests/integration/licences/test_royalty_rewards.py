"""The inventors' pool recurs with each royalty of an institution's licence: posted with the
royalty (no one needs to award it), never below the statutory 50% of the royalty less the
market's fee, split by the inventors' shares and shown on their statements."""

from __future__ import annotations

import re
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.uow import unit_of_work
from deals import services as deals
from deals.models import DealStatus
from licences import royalties
from licences.rules import LicenceKind
from notifications.models import Notification
from payments import ledger
from payments.rules import Account, EntryKind
from rewards import royalties as royalty_rewards
from rewards import services
from tests.conftest import FrozenClock
from tests.integration.licences.licensing import _grant
from tests.integration.licences.test_open_licence_pages import _sign_in
from tests.integration.licences.test_royalties import at


def test_each_royalty_sets_and_posts_the_inventors_pool(world: dict, clock: FrozenClock, client: FlaskClient) -> None:  # fmt: skip
    patentee = world["patentee"]  # a university's administrator
    with unit_of_work():
        named = [services.NewInventor("王伟", 6000, world["b"].email), services.NewInventor("李娜", 4000)]  # fmt: skip
        services.set_inventors(patentee, world["listing"].id, named, now=clock.current)
    licence = _grant(world, "a", LicenceKind.ORDINARY, clock.current)
    with unit_of_work():
        deals.advance(patentee, licence.deal_id, DealStatus.SIGNED, now=clock.current)
    for index, sales, day in ((0, 1_234_567, date(2027, 4, 2)), (1, 1_000_001, date(2027, 7, 2))):
        with unit_of_work():
            royalties.report(world["a"], licence.deal_id, index, sales, now=at(day))
    rewards = sorted(royalty_rewards.royalty_rewards(patentee), key=lambda r: r.id)
    reports = [r.royalty_report for r in rewards]
    assert [r.period_index for r in reports if r is not None] == [0, 1]
    for reward, report in zip(rewards, reports, strict=True):
        assert report is not None
        royalty = report.royalty_minor
        entry = ledger.find(royalties.royalty_key(licence.deal_id, report.period_index))
        assert entry is not None
        fee = -sum(leg.amount_minor for leg in entry.legs if leg.account == Account.PLATFORM_FEE)  # fmt: skip
        assert fee > 0 and reward.price_minor == royalty and reward.net_minor == royalty - fee
        assert (
            reward.pool_minor * 2 >= reward.net_minor > (reward.pool_minor - 1) * 2
        )  # 50%, up to the fen
        assert sum(line.amount_minor for line in reward.lines) == reward.pool_minor
        assert reward.awarded_by_id is None
    posted = [t for t in ledger.deal_transactions(licence.deal_id) if t.kind == EntryKind.INVENTOR_REWARD]  # fmt: skip
    assert sum(leg.amount_minor for t in posted for leg in t.legs if leg.account == Account.REWARD_POOL) == sum(r.pool_minor for r in rewards)  # fmt: skip
    assert ledger.check_deal(licence.deal) == []
    _sign_in(client, patentee)  # the institution's home counts the pools, the nav links them
    home = client.get("/home", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Reward pools set (prices and royalties)" in home and 'href="/rewards"' in home
    listed = client.get("/api/v1/rewards/royalties").get_json()["items"]  # as the page lists them
    assert [(r["deal_id"], r["royalty_period"], r["pool_minor"], len(r["lines"])) for r in listed] == [(licence.deal_id, n + 1, r.pool_minor, 2) for n, r in reversed(list(enumerate(rewards)))]  # fmt: skip
    table = client.get("/rewards", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.findall(r'#royalties">[^<]*</a>[^<]*</td><td>(\d+)</td>', table) == ["2", "1"]
    # the inventor with an account reads both royalties on their statement
    first = rewards[0].lines[0]
    _sign_in(client, world["b"])
    page = client.get(f"/rewards/inventors/{first.inventor_id}", headers={"Accept-Language": "en"})
    refused = client.get("/api/v1/rewards/royalties")  # an inventor, not the institution
    assert refused.status_code == 403 and set(refused.get_json()) == {"code", "message", "errors"}
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "royalty of period 1" in text and "royalty of period 2" in text
    with unit_of_work():  # a replayed signal sets nothing twice
        assert reports[0] is not None
        again = royalty_rewards.reward_royalty(reports[0], licence.deal, fee_minor=1, co_owners_minor=0, now=clock.current)  # fmt: skip
    assert again is not None and again.id == rewards[0].id
    told = db.session.scalars(select(Notification).where(Notification.event == "reward.set")).all()
    assert sorted((n.user_id, n.params["amount_minor"], n.link) for n in told) == sorted(
        (world["b"].id, r.lines[0].amount_minor, f"/rewards/inventors/{first.inventor_id}")
        for r in rewards
    ), "the inventor with an account is told each royalty's share, once"
