"""Auction announcements (拍卖公告) reviewed before publication; bidder numbers (竞买号)

Revision ID: 0014_auction_trust
Revises: 0014_deal_cancellations
Create Date: 2026-12-02 08:20:00

"""
import random

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_auction_trust'
down_revision = '0014_deal_cancellations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('auctions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('announced_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deposit_deadline', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('announcement_reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('refusal_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_auctions_announcement_reviewed_by_id_users'),
            'users', ['announcement_reviewed_by_id'], ['id'],
        )
    # Auctions created before announcements were reviewed were published when created.
    op.execute('UPDATE auctions SET announced_at = created_at WHERE announced_at IS NULL')
    op.create_table(
        'auction_bidders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('auction_id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['auction_id'], ['auctions.id'], name=op.f('fk_auction_bidders_auction_id_auctions')),
        sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_auction_bidders_org_id_organisations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_auction_bidders')),
        sa.UniqueConstraint('auction_id', 'number', name='uq_auction_bidders_auction_number'),
        sa.UniqueConstraint('auction_id', 'org_id', name='uq_auction_bidders_auction_org'),
    )
    # Bidders whose deposit is already held get their random four-digit number now.
    bind = op.get_bind()
    held = bind.execute(sa.text(
        "SELECT context_id, org_id, held_at FROM deposits "
        "WHERE context_type = 'auction' AND held_at IS NOT NULL ORDER BY id"
    )).fetchall()
    draw = random.SystemRandom()
    taken: dict[int, set[int]] = {}
    for auction_id, org_id, held_at in held:
        numbers = taken.setdefault(auction_id, set())
        number = draw.choice([n for n in range(1000, 10000) if n not in numbers])
        numbers.add(number)
        bind.execute(
            sa.text(
                "INSERT INTO auction_bidders (auction_id, org_id, number, assigned_at) "
                "VALUES (:a, :o, :n, :t)"
            ),
            {"a": auction_id, "o": org_id, "n": number, "t": held_at},
        )


def downgrade():
    op.drop_table('auction_bidders')
    with op.batch_alter_table('auctions', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_auctions_announcement_reviewed_by_id_users'), type_='foreignkey'
        )
        batch_op.drop_column('refusal_reason')
        batch_op.drop_column('announcement_reviewed_by_id')
        batch_op.drop_column('deposit_deadline')
        batch_op.drop_column('announced_at')
