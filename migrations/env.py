"""Alembic environment: runs on the connection ``letterkit.database.upgrade`` hands it."""

from alembic import context

from letterkit.models import Model

target_metadata = Model.metadata
connection = context.config.attributes.get("connection")

if connection is None:
    raise SystemExit("Run migrations with 'flask --app app letterkit migrate'.")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
