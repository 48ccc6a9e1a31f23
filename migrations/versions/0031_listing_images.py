"""Listings: pictures (listing_images, with a thumbnail each) and the details in English
(problem_en, advantage_en, economics_en) beside a new application text in both languages

Revision ID: 0031_listing_images
Revises: 0030_deal_snapshot
Create Date: 2026-12-02 21:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0031_listing_images"
down_revision = "0030_deal_snapshot"
branch_labels = None
depends_on = None

_TEXTS = ('application', 'problem_en', 'advantage_en', 'application_en', 'economics_en')


def upgrade():
    with op.batch_alter_table('listings', schema=None) as batch_op:
        for name in _TEXTS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))

    op.create_table('listing_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('alt_zh', sa.String(length=300), nullable=True),
    sa.Column('alt_en', sa.String(length=300), nullable=True),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('thumb_name', sa.String(length=80), nullable=False),
    sa.Column('thumb_width', sa.Integer(), nullable=False),
    sa.Column('thumb_height', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_images_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_listing_images_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_images')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_listing_images_stored_name')),
    sa.UniqueConstraint('thumb_name', name=op.f('uq_listing_images_thumb_name'))
    )
    with op.batch_alter_table('listing_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_images_listing_id'), ['listing_id'], unique=False)


def downgrade():
    with op.batch_alter_table('listing_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_images_listing_id'))
    op.drop_table('listing_images')
    with op.batch_alter_table('listings', schema=None) as batch_op:
        for name in reversed(_TEXTS):
            batch_op.drop_column(name)
