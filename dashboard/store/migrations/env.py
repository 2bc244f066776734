"""Alembic environment: runs the migrations on the connection the store hands over.

The store calls Alembic from Python (`dashboard.store.migrate.upgrade`), passing its own
connection in `config.attributes["connection"]`, so there is no alembic.ini and no second place
where the database address is configured.
"""

from __future__ import annotations

from alembic import context

import dashboard.auth.models  # noqa: F401  (the editors' tables share the metadata)
from dashboard.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the store runs these migrations
    raise RuntimeError("run migrations with `python -m dashboard db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
