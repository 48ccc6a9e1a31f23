"""valuation requests and reports (issue 6)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('valuation_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('requester_org_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'in_progress', 'issued', 'declined', 'withdrawn', name='requeststatus', native_enum=False, length=24), nullable=False),
    sa.Column('valuer_id', sa.Integer(), nullable=True),
    sa.Column('decline_reason', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_valuation_requests_listing_id_listings')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_valuation_requests_requested_by_id_users')),
    sa.ForeignKeyConstraint(['requester_org_id'], ['organisations.id'], name=op.f('fk_valuation_requests_requester_org_id_organisations')),
    sa.ForeignKeyConstraint(['valuer_id'], ['users.id'], name=op.f('fk_valuation_requests_valuer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_valuation_requests'))
    )
    with op.batch_alter_table('valuation_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_valuation_requests_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_valuation_requests_requester_org_id'), ['requester_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_valuation_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_valuation_requests_valuer_id'), ['valuer_id'], unique=False)

    op.create_table('valuations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.Enum('indicative', 'formal', name='kind', native_enum=False, length=12), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('valuation_date', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('low_minor', sa.BigInteger(), nullable=False),
    sa.Column('central_minor', sa.BigInteger(), nullable=False),
    sa.Column('high_minor', sa.BigInteger(), nullable=False),
    sa.Column('inputs', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('opinion', sa.Text(), nullable=True),
    sa.Column('signer_name', sa.String(length=100), nullable=True),
    sa.Column('signer_credential', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_valuations_created_by_id_users')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_valuations_listing_id_listings')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_valuations_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['request_id'], ['valuation_requests.id'], name=op.f('fk_valuations_request_id_valuation_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_valuations')),
    sa.UniqueConstraint('request_id', name=op.f('uq_valuations_request_id'))
    )
    with op.batch_alter_table('valuations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_valuations_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_valuations_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_valuations_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('valuations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_valuations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_valuations_listing_id'))
        batch_op.drop_index(batch_op.f('ix_valuations_created_at'))

    op.drop_table('valuations')
    with op.batch_alter_table('valuation_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_valuation_requests_valuer_id'))
        batch_op.drop_index(batch_op.f('ix_valuation_requests_status'))
        batch_op.drop_index(batch_op.f('ix_valuation_requests_requester_org_id'))
        batch_op.drop_index(batch_op.f('ix_valuation_requests_listing_id'))

    op.drop_table('valuation_requests')
