"""The public directory of brokers and their profiles."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from brokers import broker_access as shared
from brokers import profiles, ratings
from brokers.views.blueprint import bp
from core import page_cache
from core.clock import now
from listings.rules import FIELDS


@bp.route("")
@page_cache.for_visitors
def directory() -> str:
    """The public directory of accredited brokers, filtered by field and region."""
    field_code = request.args.get("field") or None
    region = request.args.get("region") or None
    brokers = profiles.directory(now=now(), field_code=field_code, region=region)
    return render_template(
        "brokers/directory.html",
        brokers=brokers,
        stats=profiles.stats_for([b.id for b in brokers]),
        fields=FIELDS,
        regions=profiles.directory_regions(now=now()),
        field_code=field_code,
        region=region,
    )


@bp.route("/<int:broker_id>")
def profile(broker_id: int) -> str:
    """A broker's public profile: accreditation, expertise, completed deals, ratings."""
    broker = profiles.public_broker(broker_id)
    moment = now()
    org_id = current_user.acting_org_id if current_user.is_authenticated else None
    return render_template(
        "brokers/profile.html",
        broker=broker,
        stats=profiles.stats_for([broker.id])[broker.id],
        ratings=ratings.ratings_of(broker.id),
        valid=shared.broker_accredited(broker, now=moment),
        fields=FIELDS,
        can_engage=org_id is not None
        and org_id != broker.organisation_id
        and shared.broker_accredited(broker, now=moment),
    )
