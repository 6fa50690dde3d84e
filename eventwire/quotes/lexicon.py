"""The cue lexicon of the quotes stage: speech verbs and attribution phrases, from data files."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import KnowledgeFileError

KINDS = ("speech", "directive", "frame", "source", "channel", "document")
PHRASE_KINDS = ("source", "channel")


@dataclass(frozen=True)
class CueLexicon:
    """Cues by kind: verb lemmas, lowercase word sequences and document nouns."""

    speech: frozenset[str]  # every speech verb, directives included
    directive: frozenset[str]
    frame: frozenset[str]
    source: tuple[tuple[str, ...], ...]
    channel: tuple[tuple[str, ...], ...]
    document: frozenset[str]
    phrase_starts: frozenset[str] = frozenset()  # first words of source and channel phrases

    def is_speech(self, lemma: str) -> bool:
        return lemma.lower() in self.speech

    def is_cue_verb(self, lemma: str) -> bool:
        return lemma.lower() in self.speech or lemma.lower() in self.frame


def default_path() -> Path:
    return Path(str(resources.files("eventwire") / "data" / "quote_cues.tsv"))


def read_cue_file(path: Path) -> list[tuple[str, str]]:
    """Read one cue file as (cue, kind) pairs; raise KnowledgeFileError naming file and line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeFileError(f"cannot read cue file: {exc}", origin=str(path)) from exc
    cues = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) < 2:
            raise KnowledgeFileError("expected 'cue<TAB>kind' (tab-separated)",
                                     origin=f"{path}:{number}")
        cue, kind = columns[0].strip().lower(), columns[1].strip()
        if not cue:
            raise KnowledgeFileError("empty cue", origin=f"{path}:{number}")
        if kind not in KINDS:
            raise KnowledgeFileError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}",
                                     origin=f"{path}:{number}")
        if kind not in PHRASE_KINDS and " " in cue:
            raise KnowledgeFileError(f"a {kind} cue is a single lemma, got {cue!r}",
                                     origin=f"{path}:{number}")
        cues.append((cue, kind))
    return cues


@lru_cache(maxsize=8)
def load_cues(extra_files: tuple[str, ...] = ()) -> CueLexicon:
    """The bundled cue lexicon plus any extra files, validated and cached once per process."""
    by_kind: dict[str, set] = {kind: set() for kind in KINDS}
    for path in (default_path(), *map(Path, extra_files)):
        for cue, kind in read_cue_file(path):
            by_kind[kind].add(tuple(cue.split()) if kind in PHRASE_KINDS else cue)
    longest_first = {k: tuple(sorted(by_kind[k], key=len, reverse=True)) for k in PHRASE_KINDS}
    return CueLexicon(speech=frozenset(by_kind["speech"] | by_kind["directive"]),
                      directive=frozenset(by_kind["directive"]), frame=frozenset(by_kind["frame"]),
                      source=longest_first["source"], channel=longest_first["channel"],
                      document=frozenset(by_kind["document"]),
                      phrase_starts=frozenset(p[0] for k in PHRASE_KINDS for p in by_kind[k]))


def cue_files(knowledge_files: list[str]) -> tuple[str, ...]:
    """The user's knowledge files that are cue files (their name ends in quote_cues.tsv)."""
    return tuple(f for f in knowledge_files if f.endswith("quote_cues.tsv"))
