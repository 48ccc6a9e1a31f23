"""Import/export records: the US-dollar amount at the reference rate of the deal's day

Revision ID: 0042_trade_record_rate
Revises: 0041_open_licence_card
Create Date: 2026-12-03 03:20:00

Records made before this were all entered by hand: they are marked so.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0042_trade_record_rate"
down_revision = "0041_open_licence_card"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tech_trade_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("usd_rate_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("usd_manual", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    records = sa.table("tech_trade_records", sa.column("usd_manual", sa.Boolean()))
    op.execute(records.update().values(usd_manual=True))


def downgrade():
    with op.batch_alter_table("tech_trade_records", schema=None) as batch_op:
        batch_op.drop_column("usd_manual")
        batch_op.drop_column("usd_rate_on")
