"""Statistics indexes: the city statistics read deals, needs and introductions by period

Revision ID: 0024_statistics_indexes
Revises: 0019_keywords
Create Date: 2026-12-02 13:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024_statistics_indexes'
down_revision = '0024_portfolio_imports'
branch_labels = None
depends_on = None

# The deals of a period with every column the statistics group by or add up: PostgreSQL
# answers the deal scans from the index alone (an index-only scan once vacuumed), SQLite
# from the covering index.
DEAL_COLUMNS = ['created_at', 'status', 'channel', 'method', 'price_minor', 'listing_id',
                'seller_org_id', 'buyer_org_id']


def upgrade():
    op.create_index('ix_deals_statistics', 'deals', DEAL_COLUMNS)
    op.create_index('ix_tech_needs_created_at', 'tech_needs', ['created_at'])
    op.create_index('ix_introductions_created_at', 'introductions', ['created_at'])


def downgrade():
    op.drop_index('ix_introductions_created_at', table_name='introductions')
    op.drop_index('ix_tech_needs_created_at', table_name='tech_needs')
    op.drop_index('ix_deals_statistics', table_name='deals')
