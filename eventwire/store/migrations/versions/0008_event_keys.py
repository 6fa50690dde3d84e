"""Actor keys of events (event_keys) for indexed actor filters and dyads; an index for the
count of factual events.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-05
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _keys(country, actor_id, name) -> set[str]:
    """The keys of one event actor row (as eventwire.store.database.event_keys writes them)."""
    keys = set()
    if country:
        keys.add("c:" + country)
    if actor_id:
        keys.add("i:" + actor_id)
    if name:
        keys.add("n:" + name.lower())
    return keys


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('event_keys',
                    sa.Column('event_id', sa.String(length=64), nullable=False),
                    sa.Column('role', sa.String(length=6), nullable=False),
                    sa.Column('key', sa.Text(), nullable=False),
                    sa.Column('type', sa.String(length=16), nullable=False),
                    sa.Column('sort_date', sa.String(length=10), nullable=True),
                    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('event_id', 'role', 'key'))
    # filled in Python, a page of event actor rows at a time: SQLite's lower() leaves
    # non-ASCII letters as they are
    bind = op.get_bind()
    table = sa.table('event_keys', *(sa.column(c) for c in
                                     ('event_id', 'role', 'key', 'type', 'sort_date')))
    last = ""
    while True:
        upto = bind.execute(sa.text("SELECT max(id) FROM (SELECT id FROM events WHERE id > :last "
                                    "ORDER BY id LIMIT 5000) page"), {"last": last}).scalar()
        if upto is None:
            break
        rows = bind.execute(sa.text(
            "SELECT ea.event_id, ea.role, ea.country, ea.actor_id, ea.name, e.type, e.sort_date, "
            "e.reciprocal FROM event_actors ea JOIN events e ON e.id = ea.event_id "
            "WHERE ea.event_id > :last AND ea.event_id <= :upto"), {"last": last, "upto": upto}).all()
        found: dict[tuple, dict] = {}
        for row in rows:
            for role in ('source', 'target') if row.reciprocal else (row.role,):
                for key in _keys(row.country, row.actor_id, row.name):
                    found[(row.event_id, role, key)] = {
                        'event_id': row.event_id, 'role': role, 'key': key, 'type': row.type,
                        'sort_date': row.sort_date}
        if found:
            op.bulk_insert(table, list(found.values()))
        last = upto
    op.create_index('ix_event_keys_key_type_date', 'event_keys', ['key', 'type', 'sort_date'])
    op.create_index('ix_event_keys_key_role', 'event_keys', ['key', 'role', 'event_id'])
    op.create_index('ix_events_modality', 'events',
                    ['negated', 'future', 'hypothetical', 'historical', 'generic'])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_events_modality', table_name='events')
    op.drop_table('event_keys')
