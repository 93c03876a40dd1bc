"""Reads what an assistant's tracker store holds (SQLite or PostgreSQL), for
tests that check what was stored: the order of events, and that nothing
personal was kept."""

import json
from typing import Dict, List

import sqlalchemy as sa


def database_url(env: Dict[str, str]) -> str:
    """The SQLAlchemy URL of the database the TRACKER_DB_* settings point at."""
    if env.get("TRACKER_DB_DIALECT", "sqlite") == "sqlite":
        return f"sqlite:///{env['TRACKER_DB']}"
    url = sa.engine.url.URL.create(
        env["TRACKER_DB_DIALECT"],
        username=env["TRACKER_DB_USER"],
        password=env["TRACKER_DB_PASSWORD"],
        host=env["TRACKER_DB_HOST"],
        port=int(env["TRACKER_DB_PORT"]),
        database=env["TRACKER_DB"],
    )
    return url.render_as_string(hide_password=False)


def _engine(env: Dict[str, str]) -> sa.engine.Engine:
    return sa.create_engine(database_url(env))


def stored_events(env: Dict[str, str], sender: str) -> List[Dict]:
    """One conversation's events as stored, in the order they were written."""
    engine = _engine(env)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("select data from events where sender_id = :sender order by id"),
                {"sender": sender},
            )
            return [json.loads(row[0]) for row in rows]
    finally:
        engine.dispose()


def stored_text(env: Dict[str, str]) -> str:
    """Every column of every row of every table, as text: what a privacy check
    searches for data that must not be kept."""
    engine = _engine(env)
    try:
        with engine.connect() as connection:
            lines = []
            for table in sa.inspect(connection).get_table_names():
                rows = connection.execute(sa.text(f'select * from "{table}"'))
                lines += [" ".join(str(value) for value in row) for row in rows]
            return "\n".join(lines)
    finally:
        engine.dispose()


def run_sql(env: Dict[str, str], statement: str, params: Dict) -> List[tuple]:
    """One statement (named :params) on the assistant's database, committed;
    the rows it returns, if any. For tests that look at or move the reminder
    table's rows."""
    engine = _engine(env)
    try:
        with engine.begin() as connection:
            result = connection.execute(sa.text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()
