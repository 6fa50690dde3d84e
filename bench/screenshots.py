"""Screenshots of the web pages for the documentation (docs/screenshots/*.png).

Serves a database (by default the demo database, built with ``eventwire demo`` if missing) with
the real server and photographs each page in headless Debian Chromium.

    .venv/bin/python bench/screenshots.py [--db eventwire-demo.db] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(db: str) -> tuple[str, object]:
    import uvicorn

    from eventwire.settings import Settings
    from eventwire.web import create_app

    settings = Settings()
    settings.database_url = Settings.normalise_db(db)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, token=""), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def pages(base: str) -> dict[str, str]:
    """The pages to photograph, picked from the data: the busiest dyad, story and article."""
    import httpx

    dyad = httpx.get(f"{base}/api/dyads?limit=20").json()["items"]
    dyad = next((d for d in dyad if d["source"] != d["target"]), dyad[0])
    stories = httpx.get(f"{base}/api/stories?limit=50").json()["items"]
    story = max(stories, key=lambda s: (len(s["outlets"]), s["article_count"]))
    events = httpx.get(f"{base}/api/events?limit=200").json()["items"]
    busiest = max({e["article_id"] for e in events},
                  key=lambda a: sum(1 for e in events if e["article_id"] == a))
    first_event = next(e for e in events if e["article_id"] == busiest)
    seg = lambda v: quote(str(v), safe="")  # noqa: E731
    return {
        "overview": "/",
        "events": f"/events?actor={seg(dyad['source'])}",
        "article": f"/articles/{seg(busiest)}#ev-{first_event['id']}",
        "actor": f"/actors/{seg(dyad['source'])}",
        "dyad": f"/dyads/{seg(dyad['source'])}/{seg(dyad['target'])}",
        "story": f"/stories/{seg(story['id'])}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=str(REPO / "eventwire-demo.db"))
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    if "://" not in args.db and not Path(args.db).exists():
        subprocess.run([str(REPO / ".venv/bin/eventwire"), "demo", "--db", args.db], check=True)
    from playwright.sync_api import sync_playwright

    base, server = serve(args.db)
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.set_default_timeout(60_000)
        for name, path in pages(base).items():
            page.goto(base + path)
            if page.locator("[data-chart]").count():
                page.wait_for_selector("[data-chart] .main-svg")
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target))
            print(f"{target.relative_to(REPO)}  {path}")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
