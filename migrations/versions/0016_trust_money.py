"""deposits: the bank refund of a released deposit, recorded by a reviewer (trust: money)

Revision ID: 0014_trust_money
Revises: 0014_session_version
Create Date: 2026-12-02 08:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_trust_money'
down_revision = '0014_session_version'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deposits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('refund_reference', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('refund_confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_deposits_refund_confirmed_by_id_users'),
            'users',
            ['refund_confirmed_by_id'],
            ['id'],
        )


def downgrade():
    with op.batch_alter_table('deposits', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_deposits_refund_confirmed_by_id_users'), type_='foreignkey'
        )
        batch_op.drop_column('refund_confirmed_by_id')
        batch_op.drop_column('refund_reference')
        batch_op.drop_column('refunded_at')
