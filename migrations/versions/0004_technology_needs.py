"""technology needs (技术需求) (issue 6)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tech_needs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('ipc_classes', sa.JSON(), nullable=False),
    sa.Column('budget_min_minor', sa.BigInteger(), nullable=True),
    sa.Column('budget_max_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('min_trl', sa.Integer(), nullable=True),
    sa.Column('transfer_modes', sa.JSON(), nullable=False),
    sa.Column('region', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', 'withdrawn', name='needstatus', native_enum=False, length=24), nullable=False),
    sa.Column('close_reason', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_tech_needs_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_tech_needs_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tech_needs'))
    )
    with op.batch_alter_table('tech_needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tech_needs_field'), ['field'], unique=False)
        batch_op.create_index(batch_op.f('ix_tech_needs_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tech_needs_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('tech_needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tech_needs_status'))
        batch_op.drop_index(batch_op.f('ix_tech_needs_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_tech_needs_field'))

    op.drop_table('tech_needs')
