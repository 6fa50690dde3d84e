"""Actor keys of events (event_keys) for indexed actor filters, the actor pairs of events
(event_pairs) for dyad series; indexes for the count of factual events and for linking
(latest stories, canonical events by type and actors, the latest link order).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
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


def _sides(country, actor_id) -> set[str]:
    """How a dyad names one actor: its country code and its actor id."""
    return {k for k in (country, actor_id) if k}


def _pairs(event, actors) -> dict[tuple, dict]:
    """The event_pairs rows of one event (as eventwire.store.database.event_pair_rows)."""
    found: dict[tuple, dict] = {}
    sources = [a for a in actors if a.role == "source"]
    targets = [a for a in actors if a.role == "target"]
    directions = [(sources, targets, True)] + ([(targets, sources, False)] if event.reciprocal else [])
    for firsts, seconds, forward in directions:
        for s in firsts:
            for t in seconds:
                for a in _sides(s.country, s.actor_id):
                    for b in _sides(t.country, t.actor_id):
                        if (a, b) not in found or forward:
                            found[(a, b)] = {
                                "a": a, "b": b, "event_id": event.id, "type": event.type,
                                "sort_date": event.sort_date, "score": event.score,
                                "happened": not (event.negated or event.future or event.hypothetical),
                                "reciprocal": bool(event.reciprocal), "forward": forward,
                                "confidence": event.confidence, "canonical_id": event.canonical_id}
    return found


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
    op.create_table('event_pairs',
                    sa.Column('a', sa.String(length=200), nullable=False),
                    sa.Column('b', sa.String(length=200), nullable=False),
                    sa.Column('event_id', sa.String(length=64), nullable=False),
                    sa.Column('type', sa.String(length=16), nullable=False),
                    sa.Column('sort_date', sa.String(length=10), nullable=True),
                    sa.Column('score', sa.Float(), nullable=True),
                    sa.Column('happened', sa.Boolean(), nullable=False),
                    sa.Column('reciprocal', sa.Boolean(), nullable=False),
                    sa.Column('forward', sa.Boolean(), nullable=False),
                    sa.Column('confidence', sa.Float(), nullable=True),
                    sa.Column('canonical_id', sa.String(length=64), nullable=True),
                    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('a', 'b', 'event_id'),
                    sqlite_with_rowid=False)
    # filled in Python, a page of event actor rows at a time: SQLite's lower() leaves
    # non-ASCII letters as they are
    bind = op.get_bind()
    table = sa.table('event_keys', *(sa.column(c) for c in
                                     ('event_id', 'role', 'key', 'type', 'sort_date')))
    pair_table = sa.table('event_pairs', *(sa.column(c) for c in (
        'a', 'b', 'event_id', 'type', 'sort_date', 'score', 'happened', 'reciprocal', 'forward',
        'confidence', 'canonical_id')))
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
        events = {e.id: e for e in bind.execute(sa.text(
            "SELECT id, type, sort_date, score, negated, future, hypothetical, reciprocal, "
            "confidence, canonical_id FROM events WHERE id > :last AND id <= :upto"),
            {"last": last, "upto": upto})}
        actors_of: dict[str, list] = {}
        for row in rows:
            actors_of.setdefault(row.event_id, []).append(row)
        pairs = [p for event_id, actors in actors_of.items()
                 for p in _pairs(events[event_id], actors).values()]
        if pairs:
            op.bulk_insert(pair_table, pairs)
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
    op.create_index('ix_event_pairs_event_id', 'event_pairs', ['event_id'])
    op.create_index('ix_events_modality', 'events',
                    ['negated', 'future', 'hypothetical', 'historical', 'generic'])
    op.create_index('ix_stories_last_date', 'stories', ['last_date'])
    op.create_index('ix_articles_link_order', 'articles', ['link_order'])
    op.create_index('ix_canonical_events_key', 'canonical_events',
                    ['type', 'source_key', 'target_key'])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_canonical_events_key', table_name='canonical_events')
    op.drop_index('ix_articles_link_order', table_name='articles')
    op.drop_index('ix_stories_last_date', table_name='stories')
    op.drop_index('ix_events_modality', table_name='events')
    op.drop_table('event_pairs')
    op.drop_table('event_keys')
