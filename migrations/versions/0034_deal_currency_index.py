"""Deals not priced in yuan: a small partial index the statistics read them through, to
convert them at the rate of each deal's day

Revision ID: 0034_deal_currency_index
Revises: 0033_reference_rates
Create Date: 2026-12-02 22:10:00

"""

import sqlalchemy as sa
from alembic import op


revision = "0034_deal_currency_index"
down_revision = "0033_reference_rates"
branch_labels = None
depends_on = None

ABROAD = sa.text("currency <> 'CNY'")


def upgrade():
    op.create_index(
        "ix_deals_statistics_currency",
        "deals",
        ["created_at", "currency"],
        postgresql_where=ABROAD,
        sqlite_where=ABROAD,
    )


def downgrade():
    op.drop_index("ix_deals_statistics_currency", table_name="deals")
