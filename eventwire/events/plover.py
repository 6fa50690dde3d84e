"""PLOVER derived fields: CAMEO codes, cooperation/conflict scores, and mode rules.

The score of an event is the Goldstein-style weight of its CAMEO root
(data/events/cameo_scores.tsv), from -10 (conflict) to +10 (cooperation).
"""

from __future__ import annotations

from .lexicon import Knowledge

COOPERATIVE_QUADS = ("vcoop", "mcoop")

# What a request (or its rejection) is about, by the PLOVER type of the requested act.
_REQUEST_MODE = {"AID": "assist", "SUPPORT": "assist", "COOPERATE": "assist", "AGREE": "change",
                 "CONSULT": "meet", "CONCEDE": "yield", "RETREAT": "yield"}
# What a threat is about, by the PLOVER type of the threatened act.
_THREATEN_MODE = {"ASSAULT": "violence", "MOBILIZE": "violence", "COERCE": "restrict",
                  "SANCTION": "relations", "PROTEST": "restrict"}


def cameo_code(type_: str, code: str | None, k: Knowledge) -> str:
    """The event's CAMEO code: the lexicon's, else the type's default root."""
    return code or k.types[type_].cameo_root


def cameo_root(code: str) -> str:
    return code[:2]


def score(code: str, k: Knowledge) -> float | None:
    """Goldstein-style weight of the CAMEO root (-10..+10)."""
    return k.scores.get(cameo_root(code))


def is_cooperative(type_: str, k: Knowledge) -> bool:
    return k.types[type_].quad in COOPERATIVE_QUADS


def request_mode(content_type: str | None) -> str:
    """REQUEST/REJECT mode from the type of the requested act (default: change)."""
    return _REQUEST_MODE.get(content_type or "", "change")


def threaten_mode(content_type: str | None) -> str:
    """THREATEN mode from the type of the threatened act (default: non-force)."""
    return _THREATEN_MODE.get(content_type or "", "non-force")


def intent_type(type_: str, negated: bool, k: Knowledge) -> str | None:
    """How PLOVER codes an announced act: a promise of cooperation is AGREE, an announced
    conflictual act is THREATEN, an announced refusal of cooperation is REJECT.
    None when the type is verbal conflict already (requests, accusations, threats)."""
    quad = k.types[type_].quad
    if quad in COOPERATIVE_QUADS:
        return "REJECT" if negated else "AGREE"
    if quad == "mconf" or type_ == "PROTEST":
        return None if negated else "THREATEN"
    return None


INTENT_CAMEO = {"AGREE": "03", "THREATEN": "13", "REJECT": "12"}
