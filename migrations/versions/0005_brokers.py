"""brokers: accreditation, mandates, introductions, commissions, ratings (issue 6)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('brokers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('junior', 'intermediate', 'senior', name='brokerlevel', native_enum=False, length=24), nullable=False),
    sa.Column('certificate_number', sa.String(length=64), nullable=False),
    sa.Column('issuing_body', sa.String(length=200), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accredited', 'refused', name='accreditationstatus', native_enum=False, length=24), nullable=False),
    sa.Column('expertise_fields', sa.JSON(), nullable=False),
    sa.Column('region', sa.String(length=64), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('bio', sa.Text(), nullable=True),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_brokers_decided_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_brokers_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_brokers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brokers')),
    sa.UniqueConstraint('user_id', name=op.f('uq_brokers_user_id'))
    )
    with op.batch_alter_table('brokers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brokers_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_brokers_status'), ['status'], unique=False)

    op.create_table('broker_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_broker_documents_broker_id_brokers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_broker_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broker_documents')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_broker_documents_stored_name'))
    )
    with op.batch_alter_table('broker_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broker_documents_broker_id'), ['broker_id'], unique=False)

    op.create_table('mandates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('principal_org_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.Enum('seller', 'buyer', name='mandateside', native_enum=False, length=24), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=True),
    sa.Column('need_id', sa.Integer(), nullable=True),
    sa.Column('scope_note', sa.Text(), nullable=True),
    sa.Column('exclusive', sa.Boolean(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notice_days', sa.Integer(), nullable=False),
    sa.Column('commission_kind', sa.Enum('percentage', 'fixed', name='commissionkind', native_enum=False, length=24), nullable=False),
    sa.Column('rate_bps', sa.Integer(), nullable=True),
    sa.Column('min_minor', sa.BigInteger(), nullable=True),
    sa.Column('max_minor', sa.BigInteger(), nullable=True),
    sa.Column('fixed_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('payer', sa.Enum('seller', 'buyer', name='payer', native_enum=False, length=24), nullable=False),
    sa.Column('above_cap_agreed', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'active', 'terminated', 'declined', 'withdrawn', name='mandatestatus', native_enum=False, length=24), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('principal_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('broker_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('terminates_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('terminated_by_id', sa.Integer(), nullable=True),
    sa.Column('termination_reason', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_mandates_broker_id_brokers')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_mandates_listing_id_listings')),
    sa.ForeignKeyConstraint(['need_id'], ['tech_needs.id'], name=op.f('fk_mandates_need_id_tech_needs')),
    sa.ForeignKeyConstraint(['principal_org_id'], ['organisations.id'], name=op.f('fk_mandates_principal_org_id_organisations')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_mandates_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['terminated_by_id'], ['users.id'], name=op.f('fk_mandates_terminated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mandates'))
    )
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mandates_broker_id'), ['broker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mandates_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mandates_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mandates_principal_org_id'), ['principal_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mandates_status'), ['status'], unique=False)

    op.create_table('broker_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('rater_org_id', sa.Integer(), nullable=False),
    sa.Column('rater_user_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.SmallInteger(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_broker_ratings_broker_id_brokers')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_broker_ratings_deal_id_deals')),
    sa.ForeignKeyConstraint(['rater_org_id'], ['organisations.id'], name=op.f('fk_broker_ratings_rater_org_id_organisations')),
    sa.ForeignKeyConstraint(['rater_user_id'], ['users.id'], name=op.f('fk_broker_ratings_rater_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broker_ratings')),
    sa.UniqueConstraint('deal_id', 'broker_id', 'rater_org_id', name='uq_broker_ratings_deal')
    )
    with op.batch_alter_table('broker_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broker_ratings_broker_id'), ['broker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_broker_ratings_deal_id'), ['deal_id'], unique=False)

    op.create_table('introductions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mandate_id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('buyer_to_listing', 'seller_to_need', name='introductionkind', native_enum=False, length=24), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=True),
    sa.Column('seller_org_id', sa.Integer(), nullable=False),
    sa.Column('buyer_org_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('proposed', 'accepted', 'declined', name='introductionstatus', native_enum=False, length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('seller_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('buyer_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('declined_by_org_id', sa.Integer(), nullable=True),
    sa.Column('negotiation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_introductions_broker_id_brokers')),
    sa.ForeignKeyConstraint(['buyer_org_id'], ['organisations.id'], name=op.f('fk_introductions_buyer_org_id_organisations')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_introductions_created_by_id_users')),
    sa.ForeignKeyConstraint(['declined_by_org_id'], ['organisations.id'], name=op.f('fk_introductions_declined_by_org_id_organisations')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_introductions_listing_id_listings')),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandates.id'], name=op.f('fk_introductions_mandate_id_mandates')),
    sa.ForeignKeyConstraint(['need_id'], ['tech_needs.id'], name=op.f('fk_introductions_need_id_tech_needs')),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiations.id'], name=op.f('fk_introductions_negotiation_id_negotiations')),
    sa.ForeignKeyConstraint(['seller_org_id'], ['organisations.id'], name=op.f('fk_introductions_seller_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_introductions'))
    )
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_introductions_broker_id'), ['broker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_buyer_org_id'), ['buyer_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_mandate_id'), ['mandate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_seller_org_id'), ['seller_org_id'], unique=False)

    op.create_table('deal_commissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('mandate_id', sa.Integer(), nullable=False),
    sa.Column('introduction_id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('broker_user_id', sa.Integer(), nullable=False),
    sa.Column('broker_org_id', sa.Integer(), nullable=False),
    sa.Column('payer', sa.Enum('seller', 'buyer', name='payer', native_enum=False, length=24), nullable=False),
    sa.Column('basis_minor', sa.BigInteger(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_deal_commissions_broker_id_brokers')),
    sa.ForeignKeyConstraint(['broker_org_id'], ['organisations.id'], name=op.f('fk_deal_commissions_broker_org_id_organisations')),
    sa.ForeignKeyConstraint(['broker_user_id'], ['users.id'], name=op.f('fk_deal_commissions_broker_user_id_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_commissions_deal_id_deals')),
    sa.ForeignKeyConstraint(['introduction_id'], ['introductions.id'], name=op.f('fk_deal_commissions_introduction_id_introductions')),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandates.id'], name=op.f('fk_deal_commissions_mandate_id_mandates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_commissions')),
    sa.UniqueConstraint('deal_id', 'mandate_id', name='uq_deal_commissions_deal')
    )
    with op.batch_alter_table('deal_commissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_commissions_broker_id'), ['broker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_commissions_deal_id'), ['deal_id'], unique=False)


def downgrade():
    op.drop_table('deal_commissions')
    op.drop_table('introductions')
    op.drop_table('broker_ratings')
    op.drop_table('mandates')
    op.drop_table('broker_documents')
    op.drop_table('brokers')
