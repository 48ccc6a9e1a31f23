"""Support policies (技术转移扶持政策): policies, computed periods, eligibility lines and their deals

Revision ID: 0024_policies
Revises: 0019_keywords
Create Date: 2026-12-02 13:28:37.770237

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_policies'
down_revision = '0024_statistics_indexes'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('support_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('beneficiary', sa.Enum('buyer', 'seller', 'broker', name='beneficiary', native_enum=False, length=24), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=True),
    sa.Column('fixed_minor', sa.BigInteger(), nullable=True),
    sa.Column('cap_per_deal_minor', sa.BigInteger(), nullable=True),
    sa.Column('cap_per_org_year_minor', sa.BigInteger(), nullable=True),
    sa.Column('min_basis_minor', sa.BigInteger(), nullable=False),
    sa.Column('contract_types', sa.JSON(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('region', sa.String(length=64), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_support_policies_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_policies'))
    )
    op.create_table('policy_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('computed', 'approved', name='runstatus', native_enum=False, length=24), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('computed_by_id', sa.Integer(), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_policy_runs_approved_by_id_users')),
    sa.ForeignKeyConstraint(['computed_by_id'], ['users.id'], name=op.f('fk_policy_runs_computed_by_id_users')),
    sa.ForeignKeyConstraint(['policy_id'], ['support_policies.id'], name=op.f('fk_policy_runs_policy_id_support_policies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_runs')),
    sa.UniqueConstraint('policy_id', 'period_start', 'period_end', name='uq_policy_runs_period')
    )
    with op.batch_alter_table('policy_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_runs_policy_id'), ['policy_id'], unique=False)

    op.create_table('eligibility_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('computed_minor', sa.BigInteger(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('adjust_reason', sa.String(length=2000), nullable=True),
    sa.Column('adjusted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('adjusted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['adjusted_by_id'], ['users.id'], name=op.f('fk_eligibility_lines_adjusted_by_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_eligibility_lines_org_id_organisations')),
    sa.ForeignKeyConstraint(['run_id'], ['policy_runs.id'], name=op.f('fk_eligibility_lines_run_id_policy_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eligibility_lines'))
    )
    with op.batch_alter_table('eligibility_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eligibility_lines_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eligibility_lines_run_id'), ['run_id'], unique=False)

    op.create_table('eligibility_line_deals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('basis_minor', sa.BigInteger(), nullable=False),
    sa.Column('award_minor', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_eligibility_line_deals_deal_id_deals')),
    sa.ForeignKeyConstraint(['line_id'], ['eligibility_lines.id'], name=op.f('fk_eligibility_line_deals_line_id_eligibility_lines')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_eligibility_line_deals_org_id_organisations')),
    sa.ForeignKeyConstraint(['policy_id'], ['support_policies.id'], name=op.f('fk_eligibility_line_deals_policy_id_support_policies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eligibility_line_deals')),
    sa.UniqueConstraint('policy_id', 'deal_id', name='uq_line_deals_policy_deal')
    )
    with op.batch_alter_table('eligibility_line_deals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eligibility_line_deals_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eligibility_line_deals_line_id'), ['line_id'], unique=False)




def downgrade():

    with op.batch_alter_table('eligibility_line_deals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eligibility_line_deals_line_id'))
        batch_op.drop_index(batch_op.f('ix_eligibility_line_deals_deal_id'))

    op.drop_table('eligibility_line_deals')
    with op.batch_alter_table('eligibility_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eligibility_lines_run_id'))
        batch_op.drop_index(batch_op.f('ix_eligibility_lines_org_id'))

    op.drop_table('eligibility_lines')
    with op.batch_alter_table('policy_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_runs_policy_id'))

    op.drop_table('policy_runs')
    op.drop_table('support_policies')

