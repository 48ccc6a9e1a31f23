"""Organisations abroad: their country and national registration number

A foreign organisation has no unified social credit code, so the code becomes optional;
the pair (country, registration number) is unique like the code. Every existing
organisation is Chinese.

Revision ID: 0032_foreign_parties
Revises: 0031_listing_images
Create Date: 2026-12-02 21:40:00

"""

import sqlalchemy as sa
from alembic import op


revision = "0032_foreign_parties"
down_revision = "0031_listing_images"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("country", sa.String(2), nullable=False, server_default="CN"))
        batch.add_column(sa.Column("registration_number", sa.String(32), nullable=True))
        batch.alter_column("credit_code", existing_type=sa.String(18), nullable=True)
        batch.create_unique_constraint(
            "uq_organisations_registration", ["country", "registration_number"]
        )


def downgrade():  # refused by the database while an organisation abroad exists
    with op.batch_alter_table("organisations") as batch:
        batch.drop_constraint("uq_organisations_registration", type_="unique")
        batch.alter_column("credit_code", existing_type=sa.String(18), nullable=False)
        batch.drop_column("registration_number")
        batch.drop_column("country")
