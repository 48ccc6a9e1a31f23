"""bids: what the hot path of place_bid needs (issue 3)

The leader's standing maximum is kept on the auction row (as well as in
proxy_bids), so a bid reads one row and advances it with one conditional
UPDATE; existing auctions take it from their leader's proxy_bids row.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN (no batch copy of auctions, which other tables reference).
    op.add_column('auctions', sa.Column('leader_max_minor', sa.BigInteger(), nullable=True))
    op.add_column('auctions', sa.Column('leader_max_user_id', sa.Integer(), nullable=True))

    op.execute(
        """
        UPDATE auctions SET
            leader_max_minor = (
                SELECT proxy_bids.max_minor FROM proxy_bids
                WHERE proxy_bids.auction_id = auctions.id
                  AND proxy_bids.bidder_org_id = auctions.leader_org_id
            ),
            leader_max_user_id = (
                SELECT proxy_bids.user_id FROM proxy_bids
                WHERE proxy_bids.auction_id = auctions.id
                  AND proxy_bids.bidder_org_id = auctions.leader_org_id
            )
        WHERE leader_org_id IS NOT NULL
        """
    )


def downgrade():
    op.drop_column('auctions', 'leader_max_user_id')
    op.drop_column('auctions', 'leader_max_minor')
