"""One round of the chaos test (tests/test_chaos.py, bench/chaos.py): `eventwire serve` on a
database while two `eventwire ingest` processes and a stream of POSTs write and CLI queries
read; one ingest is killed with SIGKILL midway and run again. Afterwards every acknowledged
POST and every article of both inputs must be stored once, the database whole, and the server
answering.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from hostile_inputs import good_text

TOKEN = "chaos-token"


@dataclass
class Round:
    """What one round saw and what the database held afterwards."""

    acknowledged: set[str] = field(default_factory=set)  # article ids answered 200/201
    post_failures: list[str] = field(default_factory=list)  # answers other than 200/201
    read_failures: list[str] = field(default_factory=list)  # CLI queries that did not exit 0
    killed_at: int = -1  # articles in the database when the ingest was killed
    killed_status: int | None = None
    ingest_status: list[int] = field(default_factory=list)  # the other ingest, and the rerun
    expected_texts: set[str] = field(default_factory=set)
    stored_texts: list[str] = field(default_factory=list)
    missing_ids: set[str] = field(default_factory=set)
    duplicate_rows: int = 0
    unlinked: int = 0
    integrity: str = "ok"
    server_counts: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def lost(self) -> int:
        """Acknowledged or input articles not in the database."""
        return len(self.missing_ids) + len(self.expected_texts - set(self.stored_texts))

    @property
    def ok(self) -> bool:
        return (self.lost == 0 and not self.post_failures and not self.read_failures
                and self.duplicate_rows == 0 and self.unlinked == 0 and self.integrity == "ok"
                and len(self.stored_texts) == len(set(self.stored_texts))
                and self.server_counts.get("articles") == len(self.stored_texts)
                and self.killed_status == -signal.SIGKILL and self.ingest_status == [0, 0])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(log: Path, *args: str) -> subprocess.Popen:
    """An eventwire command in its own process, its standard error written to ``log``."""
    with log.open("ab") as stream:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "eventwire.cli", *args],
                                stdout=subprocess.DEVNULL, stderr=stream)


def write_jsonl(path: Path, numbers: range) -> set[str]:
    path.write_text("".join(json.dumps({"text": good_text(n)}) + "\n" for n in numbers),
                    encoding="utf-8")
    return {good_text(n).strip() for n in numbers}


def run_round(db: str, work: Path, killed: range = range(0, 80), other: range = range(60, 100),
              posts: range = range(1000, 1012), reads: int = 2) -> Round:
    """One round on ``db`` (a SQLite path or a database URL); ``killed`` and ``other`` are the
    article numbers of the two ingests (overlapping: the same content written at once)."""
    started = time.perf_counter()
    result = Round()
    work.mkdir(parents=True, exist_ok=True)
    result.expected_texts = (write_jsonl(work / "a.jsonl", killed)
                             | write_jsonl(work / "b.jsonl", other))
    port = free_port()
    server = cli(work / "serve.log", "serve", "--db", db, "--port", str(port), "--token", TOKEN)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, server, work / "serve.log")
        first = cli(work / "a.log", "ingest", str(work / "a.jsonl"), "--db", db)
        second = cli(work / "b.log", "ingest", str(work / "b.jsonl"), "--db", db)
        poster = threading.Thread(target=_post_stream, args=(base, posts, killed, result))
        poster.start()
        # kill the first ingest once it has stored a few articles, well before its end
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and first.poll() is None:
            count = _count(db)
            if count >= 5:
                result.killed_at = count
                first.send_signal(signal.SIGKILL)
                break
            time.sleep(0.05)
        result.killed_status = first.wait(60)
        for _ in range(reads):
            status = cli(work / "read.log", "events", "--db", db, "--format", "json",
                         "--limit", "5").wait(120)
            if status != 0:
                result.read_failures.append(f"events query exited {status}: "
                                            f"{(work / 'read.log').read_text()[-500:]}")
        poster.join(600)
        result.ingest_status.append(second.wait(600))
        rerun = cli(work / "a-again.log", "ingest", str(work / "a.jsonl"), "--db", db)
        result.ingest_status.append(rerun.wait(600))
        result.server_counts = httpx.get(f"{base}/api/counts", timeout=60).json()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(30)
    _inspect(db, result)
    result.seconds = time.perf_counter() - started
    return result


def _url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def _count(db: str) -> int:
    engine = create_engine(_url(db))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM articles")).scalar() or 0
    except Exception:  # the tables are not created yet
        return 0
    finally:
        engine.dispose()


def _wait_for(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/counts", timeout=10).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    raise RuntimeError("the server did not answer within 120 s")


def _post_stream(base: str, posts: range, killed: range, result: Round) -> None:
    """POST new articles, and one the killed ingest also holds (the same content twice)."""
    numbers = [*posts, killed.start + 3]
    with httpx.Client(timeout=120, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        for n in numbers:
            try:
                response = client.post(f"{base}/api/articles", json={"text": good_text(n)})
            except httpx.HTTPError as exc:
                result.post_failures.append(f"POST {n}: {exc.__class__.__name__}")
                continue
            if response.status_code in (200, 201):
                result.acknowledged.add(response.json()["id"])
                result.expected_texts.add(good_text(n).strip())
            else:
                result.post_failures.append(f"POST {n}: {response.status_code} {response.text[:200]}")


def _inspect(db: str, result: Round) -> None:
    engine = create_engine(_url(db))
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, text FROM articles")).all()
            result.stored_texts = [t for _, t in rows]
            result.missing_ids = result.acknowledged - {i for i, _ in rows}
            result.duplicate_rows = sum(conn.execute(text(query)).scalar() or 0 for query in (
                "SELECT count(*) FROM (SELECT article_id, start, type FROM events "
                "GROUP BY article_id, start, type HAVING count(*) > 1) d",
                "SELECT count(*) FROM (SELECT article_id, start, \"end\" FROM quotes "
                "GROUP BY article_id, start, \"end\" HAVING count(*) > 1) d"))
            result.unlinked = conn.execute(text(
                "SELECT count(*) FROM articles WHERE story_id IS NULL")).scalar() or 0
            if engine.dialect.name == "sqlite":
                result.integrity = conn.execute(text("PRAGMA integrity_check")).scalar()
    finally:
        engine.dispose()
