"""What the authorisation matrix's world adds for evaluations (科技成果评价): a published listing
of the seller's on which the broker holds no mandate (the broker may evaluate it), with one
evaluation and its evidence."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from accounts.models import User
from core.service_kit import Upload
from core.uow import unit_of_work
from listings import evaluations
from listings.evaluation_rules import Advancement, Novelty
from listings.rules import ListingStatus
from tests import factories
from tests.authorisation_bodies import BODIES, PDF

if TYPE_CHECKING:
    from tests.authorisation_world import World


def extend(world: World, now: datetime, upload_folder: Path) -> World:
    """The world with an evaluated listing free of mandates (committed)."""
    seller, broker, reviewer = (world.users[r] for r in ("seller", "broker", "reviewer"))
    assert isinstance(seller, User) and isinstance(broker, User) and isinstance(reviewer, User)
    listing = factories.listing(
        seller, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder,
        title_zh="矩阵测试：待评价成果",
    )  # fmt: skip
    findings = evaluations.Findings(
        5, Novelty.NEW_IN_CHINA, Advancement.DOMESTIC_ADVANCED, "矩阵测试"
    )
    with unit_of_work():
        evaluation = evaluations.record_evaluation(
            broker, listing.id, findings, [Upload(io.BytesIO(factories.PDF_BYTES), "报告.pdf")],
            folder=evaluations.evaluation_folder(str(upload_folder.parent)), max_bytes=1_000_000,
            now=now,
        )  # fmt: skip
        evidence_id = evaluation.evidence[0].id
    for endpoint in ("listings.evaluation_form", "listings.record_evaluation", "listings_api.evaluate"):  # fmt: skip
        world.by_endpoint[endpoint] = {"listing_id": listing.id}
    world.by_endpoint["listings.evaluation_evidence"] = {"evidence_id": evidence_id}
    world.by_endpoint["listings_api.evaluation_evidence"] = {"evidence_id": evidence_id}
    body = {"trl": "6", "novelty": "new_worldwide", "advancement": "domestic_leading", "reasoning": "矩阵测试：复评。"}  # fmt: skip
    BODIES["listings.record_evaluation:POST"] = {**body, "evidence": PDF}
    BODIES["listings_api.evaluate:POST"] = {**body, "evidence": PDF}
    return world
