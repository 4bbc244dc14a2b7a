"""Alembic environment: runs on the connection the Store hands over, or on DATABASE_URL from the CLI."""
from __future__ import annotations

from alembic import context

from metrics.schema import metadata

config = context.config


def run_on(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        # The Store opened the transaction and holds the migration lock (see metrics.store).
        run_on(connection)
        return
    from metrics.store import make_engine
    from metrics.settings import database_url

    engine = make_engine(database_url(config.get_main_option("sqlalchemy.url")))
    with engine.connect() as conn:
        run_on(conn)
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    from metrics.settings import database_url

    context.configure(url=database_url(config.get_main_option("sqlalchemy.url")), target_metadata=metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
