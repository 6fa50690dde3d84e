"""Alembic environment of eventwire: run with a connection handed over by ``Store``.

``Store`` builds the Alembic config in code and passes its open connection in
``config.attributes["connection"]``; there is no alembic.ini. For the
``alembic`` command line, set ``sqlalchemy.url`` with ``-x url=...``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from eventwire.store.schema import metadata

config = context.config


def run_with(connection) -> None:
    """Migrate over ``connection``; SQLite needs batch mode to alter tables."""
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    with create_engine(url).connect() as conn:
        run_with(conn)
