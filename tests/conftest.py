"""Shared test set-up: hypothesis profiles ("ci" when the CI variable is set, else "dev")."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pg_server
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("KSF_HYPOTHESIS", "dev"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[pg_server.Server]:
    """A PostgreSQL server for the whole session (tests/pg_server.py), or a skip saying why."""
    reason = pg_server.why_not()
    if reason is not None:
        pytest.skip(reason)
    server = pg_server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: pg_server.Server) -> str:
    """The URL of a new, empty database on the session's PostgreSQL server."""
    import sqlalchemy as sa

    name = f"ksf_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(postgres_server.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return postgres_server.url.rsplit("/", 1)[0] + "/" + name
