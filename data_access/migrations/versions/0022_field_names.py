"""the custom profile field names kept at import (user_field_names), filled from what is stored (imports keep them
from then on): the CSVs' custom-field columns read them instead of a DISTINCT over every user's values

Revision ID: 0022_field_names
Revises: 0021_cohort_kpi_facts
Create Date: 2026-12-05 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_field_names"
down_revision = "0021_cohort_kpi_facts"
branch_labels = None
depends_on = None

# the names of what is stored, as an import computes them (data_access/write/derive.py, refresh_field_names)
NAMES = "INSERT INTO user_field_names (field) SELECT DISTINCT field FROM user_fields"


def upgrade() -> None:
    op.create_table(
        "user_field_names",
        sa.Column("field", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("field"),
        sqlite_with_rowid=False,
    )
    op.execute(NAMES)


def downgrade() -> None:
    op.drop_table("user_field_names")
