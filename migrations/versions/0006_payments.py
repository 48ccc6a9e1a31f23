"""payments: ledger, Stripe objects, webhook events, connected accounts (issue 5)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stripe_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('outcome', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_events')),
    sa.UniqueConstraint('event_id', name=op.f('uq_stripe_events_event_id'))
    )
    op.create_table('connected_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('stripe_account_id', sa.String(length=255), nullable=False),
    sa.Column('details_submitted', sa.Boolean(), nullable=False),
    sa.Column('charges_enabled', sa.Boolean(), nullable=False),
    sa.Column('payouts_enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_connected_accounts_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_connected_accounts')),
    sa.UniqueConstraint('org_id', name=op.f('uq_connected_accounts_org_id')),
    sa.UniqueConstraint('stripe_account_id', name=op.f('uq_connected_accounts_stripe_account_id'))
    )
    op.create_table('payouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('channel', sa.Enum('stripe', 'offline', name='paymentchannel', native_enum=False, length=24), nullable=False),
    sa.Column('status', sa.Enum('blocked', 'pending', 'paid', 'failed', name='payoutstatus', native_enum=False, length=24), nullable=False),
    sa.Column('transfer_id', sa.String(length=255), nullable=True),
    sa.Column('bank_reference', sa.String(length=100), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_payouts_deal_id_deals')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_payouts_org_id_organisations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_payouts_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payouts')),
    sa.UniqueConstraint('deal_id', 'org_id', 'role', name='uq_payouts_deal_org_role')
    )
    with op.batch_alter_table('payouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payouts_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payouts_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payouts_status'), ['status'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.Column('deposit_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('channel', sa.Enum('stripe', 'offline', name='paymentchannel', native_enum=False, length=24), nullable=False),
    sa.Column('status', sa.Enum('pending', 'receipt_submitted', 'requires_capture', 'succeeded', 'failed', 'rejected', 'refunded', 'cancelled', name='paymentstatus', native_enum=False, length=24), nullable=False),
    sa.Column('capture_method', sa.String(length=16), nullable=True),
    sa.Column('checkout_session_id', sa.String(length=255), nullable=True),
    sa.Column('checkout_url', sa.String(length=2000), nullable=True),
    sa.Column('payment_intent_id', sa.String(length=255), nullable=True),
    sa.Column('capture_before', sa.DateTime(timezone=True), nullable=True),
    sa.Column('receipt_name', sa.String(length=255), nullable=True),
    sa.Column('receipt_stored_name', sa.String(length=80), nullable=True),
    sa.Column('receipt_sha256', sa.String(length=64), nullable=True),
    sa.Column('bank_reference', sa.String(length=100), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('succeeded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_payments_deal_id_deals')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_payments_decided_by_id_users')),
    sa.ForeignKeyConstraint(['deposit_id'], ['deposits.id'], name=op.f('fk_payments_deposit_id_deposits')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_payments_org_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_payments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_checkout_session_id'), ['checkout_session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_deposit_id'), ['deposit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_payment_intent_id'), ['payment_intent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_status'), ['status'], unique=False)

    op.create_table('ledger_transactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('accrual', 'accrual_reversal', 'deposit_held', 'deposit_captured', 'deposit_applied', 'deposit_unapplied', 'deposit_released', 'deposit_forfeited', 'payment_received', 'seller_payout', 'broker_payout', 'refund', name='entrykind', native_enum=False, length=24), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.Column('deposit_id', sa.Integer(), nullable=True),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('payout_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('stripe', 'offline', name='paymentchannel', native_enum=False, length=24), nullable=True),
    sa.Column('memo', sa.String(length=300), nullable=False),
    sa.Column('external_ref', sa.String(length=255), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_ledger_transactions_actor_id_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_ledger_transactions_deal_id_deals')),
    sa.ForeignKeyConstraint(['deposit_id'], ['deposits.id'], name=op.f('fk_ledger_transactions_deposit_id_deposits')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_ledger_transactions_payment_id_payments')),
    sa.ForeignKeyConstraint(['payout_id'], ['payouts.id'], name=op.f('fk_ledger_transactions_payout_id_payouts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_transactions')),
    sa.UniqueConstraint('key', name=op.f('uq_ledger_transactions_key'))
    )
    with op.batch_alter_table('ledger_transactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_transactions_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_transactions_deposit_id'), ['deposit_id'], unique=False)

    op.create_table('stripe_operations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('payout_id', sa.Integer(), nullable=True),
    sa.Column('amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'done', 'failed', 'superseded', name='operationstatus', native_enum=False, length=24), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=2000), nullable=True),
    sa.Column('stripe_object_id', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_stripe_operations_payment_id_payments')),
    sa.ForeignKeyConstraint(['payout_id'], ['payouts.id'], name=op.f('fk_stripe_operations_payout_id_payouts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_operations')),
    sa.UniqueConstraint('key', name=op.f('uq_stripe_operations_key'))
    )
    with op.batch_alter_table('stripe_operations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stripe_operations_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stripe_operations_payout_id'), ['payout_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stripe_operations_status'), ['status'], unique=False)

    op.create_table('ledger_legs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('account', sa.Enum('buyer_receivable', 'seller_payable', 'broker_payable', 'platform_fee', 'deposits_held', 'forfeited_deposits', 'bank', 'stripe_balance', 'card_holds', name='account', native_enum=False, length=24), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_ledger_legs_org_id_organisations')),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transactions.id'], name=op.f('fk_ledger_legs_transaction_id_ledger_transactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_legs'))
    )
    with op.batch_alter_table('ledger_legs', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_legs_account_org', ['account', 'org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_legs_transaction_id'), ['transaction_id'], unique=False)



def downgrade():
    with op.batch_alter_table('ledger_legs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_legs_transaction_id'))
        batch_op.drop_index('ix_ledger_legs_account_org')

    op.drop_table('ledger_legs')
    with op.batch_alter_table('stripe_operations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stripe_operations_status'))
        batch_op.drop_index(batch_op.f('ix_stripe_operations_payout_id'))
        batch_op.drop_index(batch_op.f('ix_stripe_operations_payment_id'))

    op.drop_table('stripe_operations')
    with op.batch_alter_table('ledger_transactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_transactions_deposit_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_transactions_deal_id'))

    op.drop_table('ledger_transactions')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_status'))
        batch_op.drop_index(batch_op.f('ix_payments_payment_intent_id'))
        batch_op.drop_index(batch_op.f('ix_payments_org_id'))
        batch_op.drop_index(batch_op.f('ix_payments_deposit_id'))
        batch_op.drop_index(batch_op.f('ix_payments_deal_id'))
        batch_op.drop_index(batch_op.f('ix_payments_checkout_session_id'))

    op.drop_table('payments')
    with op.batch_alter_table('payouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payouts_status'))
        batch_op.drop_index(batch_op.f('ix_payouts_org_id'))
        batch_op.drop_index(batch_op.f('ix_payouts_deal_id'))

    op.drop_table('payouts')
    op.drop_table('connected_accounts')
    op.drop_table('stripe_events')
