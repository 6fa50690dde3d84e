"""Rebuild the package's data files from the public dictionaries of the field.

``convert_events(shared)`` reads ``knowledge/petrarch2/CAMEO.2.0.txt`` and
``knowledge/plover/CAMEO2PLOVER-2021.txt`` under the shared folder and rewrites the generated
files in ``eventwire/data/events/``. Rerunning it after a dictionary update is the whole update.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SharedDataMissing
from . import cameo, verbs

EVENTS_DATA = Path(__file__).resolve().parent.parent / "data" / "events"


def _provenance(folder: Path) -> str:
    commit = folder / "COMMIT"
    repo = {"petrarch2": "openeventdata/petrarch2", "plover": "openeventdata/PLOVER"}.get(folder.name, folder.name)
    return f"{repo} commit {commit.read_text().strip()}" if commit.exists() else repo


def convert_events(shared: Path, out_dir: Path = EVENTS_DATA) -> list[Path]:
    """Regenerate the verb patterns and the CAMEO-to-PLOVER table; return the files written."""
    knowledge = Path(shared) / "knowledge"
    verb_file = knowledge / verbs.SOURCE
    table_file = knowledge / cameo.SOURCE
    for path in (verb_file, table_file):
        if not path.exists():
            raise SharedDataMissing(f"{path} not found: point --shared (or EVENTWIRE_SHARED) at the shared "
                                    "folder that holds knowledge/")
    written = verbs.write(verbs.parse(verb_file), out_dir, _provenance(verb_file.parent))
    extra = cameo.additions(EVENTS_DATA / "cameo_plover_additions.tsv")
    written.append(cameo.write(cameo.parse(table_file), extra, out_dir / "cameo_plover.tsv",
                               _provenance(table_file.parent)))
    return written
