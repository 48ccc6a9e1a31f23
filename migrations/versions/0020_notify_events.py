"""What the sweeps have told: an auction's opening, a broker's expiry, a deal's overdue step

Revision ID: 0019_notify_events
Revises: 0014_auction_trust
Create Date: 2026-12-02 12:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_notify_events'
down_revision = '0019_idempotency_keys'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('auctions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_told_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('brokers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expiry_told_on', sa.Date(), nullable=True))
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('overdue_told_for', sa.String(length=24), nullable=True))


def downgrade():
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_column('overdue_told_for')
    with op.batch_alter_table('brokers', schema=None) as batch_op:
        batch_op.drop_column('expiry_told_on')
    with op.batch_alter_table('auctions', schema=None) as batch_op:
        batch_op.drop_column('start_told_at')
