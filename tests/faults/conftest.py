"""A database that a subprocess (a `peaceops` command killed halfway, a backup) shares with the test.

PostgreSQL: the test database itself, with committed data (transactional test). SQLite: the in-memory test
database copied to a file with SQLite's online backup API, which the subprocess opens and the test reads."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection


@dataclass
class SharedDatabase:
    env: dict
    path: Path | None  # the SQLite file, or None on PostgreSQL

    def sql(self, query: str, params=()) -> list[tuple]:
        if self.path is not None:
            with sqlite3.connect(self.path, timeout=30) as db:
                cursor = db.execute(query, params)
                return cursor.fetchall() if cursor.description else []
        with connection.cursor() as cursor:
            cursor.execute(query.replace("%", "%%").replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []

    def value(self, query: str, params=()):
        return self.sql(query, params)[0][0]


def database_url_for_subprocess(tmp_path: Path) -> tuple[str, Path | None]:
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return (f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
                f"{s['NAME']}", None)
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return f"sqlite:///{path}", path


@pytest.fixture
def shared_db(live_world, tmp_path):
    url, path = database_url_for_subprocess(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "PEACEOPS_DATA_DIR": str(tmp_path / "data"),
           "DJANGO_SETTINGS_MODULE": "peaceops.settings"}
    return SharedDatabase(env, path)
