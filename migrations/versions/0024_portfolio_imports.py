"""Portfolio imports (a university's patent list as draft listings); filing and grant dates of IP assets; the registration form's fields of deals

Revision ID: 0024_portfolio_imports
Revises: 0019_keywords
Create Date: 2026-12-02 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_portfolio_imports'
down_revision = '0019_keywords'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'portfolio_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('rows', sa.JSON(), nullable=False),
        sa.Column('errors', sa.JSON(), nullable=False),
        sa.Column('skipped', sa.JSON(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('processed', sa.Integer(), nullable=False),
        sa.Column('created_count', sa.Integer(), nullable=False),
        sa.Column('updated_count', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_portfolio_imports_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_portfolio_imports_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolio_imports')),
    )
    op.create_index(op.f('ix_portfolio_imports_organisation_id'), 'portfolio_imports', ['organisation_id'])
    op.create_index(op.f('ix_portfolio_imports_status'), 'portfolio_imports', ['status'])
    with op.batch_alter_table('ip_assets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('granted_on', sa.Date(), nullable=True))
    op.create_table(
        'deal_registrations',
        sa.Column('deal_id', sa.Integer(), nullable=False),
        sa.Column('contract_number', sa.String(length=64), nullable=False),
        sa.Column('project_name', sa.String(length=300), nullable=False),
        sa.Column('contract_subtype', sa.String(length=32), nullable=False),
        sa.Column('technology_field', sa.String(length=32), nullable=False),
        sa.Column('seller_region_code', sa.String(length=6), nullable=False),
        sa.Column('buyer_region_code', sa.String(length=6), nullable=False),
        sa.Column('term_start', sa.Date(), nullable=False),
        sa.Column('term_end', sa.Date(), nullable=False),
        sa.Column('transaction_amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('payment_method', sa.String(length=32), nullable=False),
        sa.Column('certificate_number', sa.String(length=64), nullable=True),
        sa.Column('certified_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('certified_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_registrations_deal_id_deals')),
        sa.ForeignKeyConstraint(['certified_by_id'], ['users.id'], name=op.f('fk_deal_registrations_certified_by_id_users')),
        sa.PrimaryKeyConstraint('deal_id', name=op.f('pk_deal_registrations')),
    )


def downgrade():
    op.drop_table('deal_registrations')
    with op.batch_alter_table('ip_assets', schema=None) as batch_op:
        batch_op.drop_column('granted_on')
        batch_op.drop_column('filed_on')
    op.drop_index(op.f('ix_portfolio_imports_status'), table_name='portfolio_imports')
    op.drop_index(op.f('ix_portfolio_imports_organisation_id'), table_name='portfolio_imports')
    op.drop_table('portfolio_imports')
