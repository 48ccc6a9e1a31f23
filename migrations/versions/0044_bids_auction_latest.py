"""Bids: an index by auction and id, so an auction's latest bids are read without its others

Revision ID: 0044_bids_auction_latest
Revises: 0043_royalty_rewards
Create Date: 2026-12-04 18:50:00

"""

from alembic import op


revision = "0044_bids_auction_latest"
down_revision = "0043_royalty_rewards"
branch_labels = None
depends_on = None


def upgrade():
    # (auction_id, id) serves every lookup by auction that ix_bids_auction_id served.
    # Built outside the migration's transaction and, on PostgreSQL, CONCURRENTLY: a
    # running market goes on taking bids while the index is built. (A build that fails
    # leaves an INVALID index behind: drop it before running the migration again.)
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_bids_auction_latest",
            "bids",
            ["auction_id", "id"],
            postgresql_concurrently=True,
        )
        op.drop_index(
            "ix_bids_auction_id", table_name="bids", postgresql_concurrently=True
        )


def downgrade():
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_bids_auction_id",
            "bids",
            ["auction_id"],
            postgresql_concurrently=True,
        )
        op.drop_index(
            "ix_bids_auction_latest",
            table_name="bids",
            postgresql_concurrently=True,
        )
