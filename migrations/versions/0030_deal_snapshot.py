"""What was sold, kept on the deal: the listing's field, IPC section and publication

The city statistics group deals by these without joining the listings (a year of a large
market: one scan of the deals' covering index instead of a hash of every listing).

Revision ID: 0030_deal_snapshot
Revises: 0027_signup_consent
Create Date: 2026-12-02 17:05:00

"""

import sqlalchemy as sa
from alembic import op


revision = "0030_deal_snapshot"
down_revision = "0027_signup_consent"
branch_labels = None
depends_on = None

OLD_COLUMNS = [
    "created_at",
    "status",
    "channel",
    "method",
    "price_minor",
    "listing_id",
    "seller_org_id",
    "buyer_org_id",
]
NEW_COLUMNS = [*OLD_COLUMNS, "field", "ipc_section", "listed_at"]

# The JSON text of ipc_classes reads '["H01M 10/05", ...]' on both databases.
BACKFILL = """
UPDATE deals SET
  field = (SELECT l.field FROM listings l WHERE l.id = deals.listing_id),
  listed_at = (SELECT l.published_at FROM listings l WHERE l.id = deals.listing_id),
  ipc_section = (
    SELECT CASE WHEN upper(substr(CAST(l.ipc_classes AS TEXT), 3, 1)) BETWEEN 'A' AND 'H'
                THEN upper(substr(CAST(l.ipc_classes AS TEXT), 3, 1)) END
    FROM listings l WHERE l.id = deals.listing_id)
WHERE listing_id IS NOT NULL
"""


def upgrade():
    with op.batch_alter_table("deals") as batch:
        batch.add_column(sa.Column("field", sa.String(32), nullable=True))
        batch.add_column(sa.Column("ipc_section", sa.String(1), nullable=True))
        batch.add_column(sa.Column("listed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(BACKFILL)
    op.drop_index("ix_deals_statistics", table_name="deals")
    op.create_index("ix_deals_statistics", "deals", NEW_COLUMNS)


def downgrade():
    op.drop_index("ix_deals_statistics", table_name="deals")
    op.create_index("ix_deals_statistics", "deals", OLD_COLUMNS)
    with op.batch_alter_table("deals") as batch:
        batch.drop_column("listed_at")
        batch.drop_column("ipc_section")
        batch.drop_column("field")
