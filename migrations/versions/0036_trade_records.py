"""Technology import/export contract records (技术进出口合同登记) of cross-border deals.

Revision ID: 0036_trade_records
Revises: 0035_events
Create Date: 2026-12-02 21:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0036_trade_records"
down_revision = "0035_events"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tech_trade_records',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.Enum('export', 'import', name='tradedirection', native_enum=False, length=24), nullable=False),
    sa.Column('seller_country', sa.String(length=2), nullable=False),
    sa.Column('buyer_country', sa.String(length=2), nullable=False),
    sa.Column('category', sa.Enum('free', 'restricted', 'prohibited', name='techcategory', native_enum=False, length=24), nullable=False),
    sa.Column('catalogue_ref', sa.String(length=64), nullable=True),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('usd_minor', sa.BigInteger(), nullable=False),
    sa.Column('payment_terms', sa.String(length=500), nullable=False),
    sa.Column('licence_number', sa.String(length=64), nullable=True),
    sa.Column('check_outcome', sa.Enum('cleared', 'licence_required', 'prohibited', name='checkoutcome', native_enum=False, length=24), nullable=True),
    sa.Column('check_note', sa.String(length=2000), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('certificate_number', sa.String(length=64), nullable=True),
    sa.Column('certified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('certified_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certified_by_id'], ['users.id'], name=op.f('fk_tech_trade_records_certified_by_id_users')),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_tech_trade_records_checked_by_id_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_tech_trade_records_deal_id_deals')),
    sa.PrimaryKeyConstraint('deal_id', name=op.f('pk_tech_trade_records'))
    )


def downgrade():
    op.drop_table('tech_trade_records')
