"""The indexes the city statistics need, declared by the statistics (which own the queries)
on the domains' tables, so the domains' models stay as they are. Migration
0024_statistics_indexes creates them (0030_deal_snapshot widens the deals' one); importing
this module (the model registry does)
puts them in the metadata, so the models and the migrations agree."""

from __future__ import annotations

from sqlalchemy import Index

from brokers.models import Introduction
from deals.models import Deal
from listings.models import TechNeed

# The deals of a period with every column the statistics group by or add up: PostgreSQL
# answers the deal scans from the index alone (an index-only scan once vacuumed).
DEALS = Index(
    "ix_deals_statistics",
    Deal.created_at,
    Deal.status,
    Deal.channel,
    Deal.method,
    Deal.price_minor,
    Deal.listing_id,
    Deal.seller_org_id,
    Deal.buyer_org_id,
    Deal.field,
    Deal.ipc_section,
    Deal.listed_at,
)
# The few deals not priced in yuan, read again to convert them (statistics/currency.py).
DEALS_ABROAD = Index(
    "ix_deals_statistics_currency",
    Deal.created_at,
    Deal.currency,
    postgresql_where=Deal.currency != "CNY",
    sqlite_where=Deal.currency != "CNY",
)
NEEDS = Index("ix_tech_needs_created_at", TechNeed.created_at)
INTRODUCTIONS = Index("ix_introductions_created_at", Introduction.created_at)
