"""Answer feedback (thumbs up/down and a comment) kept in SQLite under the data folder.

Each rating stores the question, the answer text and its citations as they were shown, so a
reviewer can judge the answer later even after the index has changed. One row per rated answer:
changing the rating or adding a comment updates that row.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from assistant.schema import FEEDBACK_COLUMNS, feedback_fields

RATINGS = ("up", "down")
COLUMNS = FEEDBACK_COLUMNS

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    citations TEXT NOT NULL
)
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class FeedbackStore:
    """The feedback database (data_dir/feedback.sqlite3); a short connection per call, so threads are safe."""

    FILENAME = "feedback.sqlite3"

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / self.FILENAME

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as connection:
            connection.row_factory = sqlite3.Row
            with connection:
                connection.execute(_SCHEMA)
                yield connection

    def rate(self, answer: dict, rating: str, feedback_id: int | None = None) -> int:
        """Store (or change) the rating of an answer given as `cpassist ask --json` data; returns the row id."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        now = _now()
        with self._connect() as db:
            if feedback_id is not None:
                changed = db.execute("UPDATE feedback SET rating = ?, updated = ? WHERE id = ?", (rating, now, feedback_id))
                if changed.rowcount:
                    return feedback_id
            cursor = db.execute(
                "INSERT INTO feedback (created, updated, rating, question, answer, abstained, citations)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now, now, rating, *feedback_fields(answer)),
            )
            return int(cursor.lastrowid)

    def comment(self, feedback_id: int, text: str) -> bool:
        """Attach a comment to a rated answer; False if there is no such row."""
        with self._connect() as db:
            changed = db.execute(
                "UPDATE feedback SET comment = ?, updated = ? WHERE id = ?", (text.strip(), _now(), feedback_id)
            )
            return bool(changed.rowcount)

    def rows(self) -> list[dict]:
        if not self.path.exists():
            return []
        with self._connect() as db:
            return [dict(row) for row in db.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id")]

    def export_csv(self, out: TextIO) -> int:
        """Write every row as CSV (citations as a JSON string); returns the number of rows."""
        rows = self.rows()
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        return len(rows)
