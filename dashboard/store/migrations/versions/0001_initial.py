"""Initial store: units, metrics, sources, versioned observations, releases, data version.

Observations are never updated in place: each version is a row, at most one of them
`current` per obs_id (a partial unique index on both databases).

Revision ID: 0001_initial
Revises: (none)
Create Date: 2026-12-03 03:48:57.296452
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "metrics",
        sa.Column("metric_id", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), server_default="", nullable=False),
        sa.Column("category", sa.Text(), server_default="", nullable=False),
        sa.Column("unit_of_measure", sa.Text(), server_default="", nullable=False),
        sa.Column("reach_type", sa.Text(), server_default="", nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("higher_is_better", sa.Text(), server_default="", nullable=False),
        sa.Column("money_kind", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("metric_id"),
    )
    op.create_table(
        "releases",
        sa.Column("release_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), server_default="", nullable=False),
        sa.Column("command", sa.Text(), server_default="", nullable=False),
        sa.Column("source_file", sa.Text(), server_default="", nullable=False),
        sa.Column("sha256", sa.Text(), server_default="", nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_changed", sa.Integer(), nullable=False),
        sa.Column("rows_withdrawn", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.Text(), server_default="", nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("release_id"),
    )
    op.create_table(
        "revision_notes",
        sa.Column("note_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("date", sa.Text(), server_default="", nullable=False),
        sa.Column("change", sa.Text(), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("note_id"),
    )
    op.create_table(
        "sources",
        sa.Column("source_id", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), server_default="", nullable=False),
        sa.Column("publisher", sa.Text(), server_default="", nullable=False),
        sa.Column("published", sa.Text(), server_default="", nullable=False),
        sa.Column("url", sa.Text(), server_default="", nullable=False),
        sa.Column("licence", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("source_id"),
    )
    op.create_table(
        "units",
        sa.Column("unit_id", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), server_default="", nullable=False),
        sa.Column("unit_type", sa.Text(), server_default="", nullable=False),
        sa.Column("area_name", sa.Text(), server_default="", nullable=False),
        sa.Column("pfa_codes", sa.Text(), server_default="", nullable=False),
        sa.Column("grant_recipient", sa.Text(), server_default="", nullable=False),
        sa.Column("pcc", sa.Text(), server_default="", nullable=False),
        sa.Column("lead", sa.Text(), server_default="", nullable=False),
        sa.Column("model_notes", sa.Text(), server_default="", nullable=False),
        sa.Column("start_year", sa.Text(), server_default="", nullable=False),
        sa.Column("source_id", sa.Text(), server_default="", nullable=False),
        sa.Column("page", sa.Text(), server_default="", nullable=False),
        sa.Column("url", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("unit_id"),
    )
    op.create_table(
        "observations",
        sa.Column("version_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("supersedes", sa.Integer(), nullable=True),
        sa.Column("ended_by_release", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("supplied_by", sa.Text(), server_default="", nullable=False),
        sa.Column("obs_id", sa.String(length=300), nullable=False),
        sa.Column("unit_id", sa.Text(), server_default="", nullable=False),
        sa.Column("metric_id", sa.Text(), server_default="", nullable=False),
        sa.Column("value", sa.Text(), server_default="", nullable=False),
        sa.Column("qualifier", sa.Text(), server_default="", nullable=False),
        sa.Column("value_status", sa.Text(), server_default="", nullable=False),
        sa.Column("period_label", sa.Text(), server_default="", nullable=False),
        sa.Column("period_start", sa.Text(), server_default="", nullable=False),
        sa.Column("period_end", sa.Text(), server_default="", nullable=False),
        sa.Column("financial_year", sa.Text(), server_default="", nullable=False),
        sa.Column("baseline_value", sa.Text(), server_default="", nullable=False),
        sa.Column("baseline_period_label", sa.Text(), server_default="", nullable=False),
        sa.Column("geography", sa.Text(), server_default="", nullable=False),
        sa.Column("series", sa.Text(), server_default="", nullable=False),
        sa.Column("source_id", sa.Text(), server_default="", nullable=False),
        sa.Column("page", sa.Text(), server_default="", nullable=False),
        sa.Column("url", sa.Text(), server_default="", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["releases.release_id"],
        ),
        sa.PrimaryKeyConstraint("version_id"),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index("ix_observations_obs_id", ["obs_id"], unique=False)
        batch_op.create_index("ix_observations_release", ["release_id"], unique=False)
        batch_op.create_index("ix_observations_status", ["status"], unique=False)
        batch_op.create_index(
            "ux_observations_current",
            ["obs_id"],
            unique=True,
            sqlite_where=sa.text("status = 'current'"),
            postgresql_where=sa.text("status = 'current'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_observations_current",
            sqlite_where=sa.text("status = 'current'"),
            postgresql_where=sa.text("status = 'current'"),
        )
        batch_op.drop_index("ix_observations_status")
        batch_op.drop_index("ix_observations_release")
        batch_op.drop_index("ix_observations_obs_id")

    op.drop_table("observations")
    op.drop_table("units")
    op.drop_table("sources")
    op.drop_table("revision_notes")
    op.drop_table("releases")
    op.drop_table("metrics")
    op.drop_table("data_version")
