"""What the authorisation matrix's world adds for support policies: a policy, a computed
period and the buyer's line in it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from accounts.models import User
from core.extensions import db
from core.uow import unit_of_work
from policies import services
from policies.models import EligibilityLine
from policies.policy_rules import Beneficiary

if TYPE_CHECKING:
    from tests.authorisation_world import World


def extend(world: World, now: datetime) -> World:
    """The world with `policy_id`, `run_id` and `line_id` (the buyer's line, committed)."""
    admin, buyer = world.users["admin"], world.users["buyer"]
    assert isinstance(admin, User) and isinstance(buyer, User) and buyer.acting_org_id
    with unit_of_work():
        policy = services.define(
            admin,
            services.NewPolicy(
                "矩阵测试补贴", None, Beneficiary.BUYER, 300, None, None, None,
                valid_from=date(2020, 1, 1),
            ),
            now=now,
        )  # fmt: skip
        run = services.compute(
            admin, policy.id, date(2020, 1, 1), date(2020, 12, 31),
            now=now, tz=ZoneInfo("Asia/Shanghai"),
        )  # fmt: skip
        line = EligibilityLine(
            run_id=run.id, org_id=buyer.acting_org_id, computed_minor=1_000, amount_minor=1_000
        )
        db.session.add(line)
        db.session.flush()
    world.ids.update({"policy_id": policy.id, "run_id": run.id, "line_id": line.id})
    return world
