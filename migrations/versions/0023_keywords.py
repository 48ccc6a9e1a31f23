"""Keywords (关键词) on listings and technology needs, searched with weight

Revision ID: 0019_keywords
Revises: 0018_auction_trust
Create Date: 2026-12-02 12:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_keywords'
down_revision = '0019_alert_keys'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('listings', 'tech_needs'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('keywords', sa.JSON(), nullable=True))


def downgrade():
    for table in ('listings', 'tech_needs'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('keywords')
