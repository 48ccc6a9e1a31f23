"""deal_cancellations: proposals by agreement, requests for a ruling, cancellations by the rules

Revision ID: 0014_deal_cancellations
Revises: 0014_trust_money
Create Date: 2026-12-02 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_deal_cancellations'
down_revision = '0014_trust_money'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deal_cancellations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('agreement', 'ruling', 'rules', name='cancellationkind', native_enum=False, length=24), nullable=False),
    sa.Column('status', sa.Enum('pending', 'agreed', 'declined', 'withdrawn', 'upheld', 'dismissed', 'applied', name='cancellationstatus', native_enum=False, length=24), nullable=False),
    sa.Column('grounds', sa.Enum('default', 'breach', 'objection_upheld', name='grounds', native_enum=False, length=24), nullable=True),
    sa.Column('statement', sa.String(length=2000), nullable=True),
    sa.Column('requested_by_side', sa.Enum('seller', 'buyer', name='side', native_enum=False, length=24), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('at_fault', sa.Enum('seller', 'buyer', name='side', native_enum=False, length=24), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_cancellations_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_deal_cancellations_decided_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_deal_cancellations_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_cancellations'))
    )
    with op.batch_alter_table('deal_cancellations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_cancellations_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_cancellations_status'), ['status'], unique=False)
        batch_op.create_index('uq_deal_cancellations_pending', ['deal_id'], unique=True, postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))


def downgrade():
    with op.batch_alter_table('deal_cancellations', schema=None) as batch_op:
        batch_op.drop_index('uq_deal_cancellations_pending', postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))
        batch_op.drop_index(batch_op.f('ix_deal_cancellations_status'))
        batch_op.drop_index(batch_op.f('ix_deal_cancellations_deal_id'))

    op.drop_table('deal_cancellations')
