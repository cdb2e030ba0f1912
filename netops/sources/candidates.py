"""topology/candidates.yaml: fibres the Dinas could add, for the redundancy suggestions.

Example entry::

    - a: edge-mpp-01          # device at one end (usually the at-risk PD's edge router)
      b: core-pd-01           # device at the other end
      length_m: 650
      new_trench: true        # its own new trench: shares no duct with anything
      via_ducts: []           # or the existing ducts it would be pulled through
      note: new trench to Kantor Walikota avoiding DCT-EP-01
"""
from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from pydantic import Field

from netops.errors import InputError, Issue
from netops.models.inventory import Strict
from netops.sources.inventory import _validate
from netops.sources.yamlfile import load_yaml

CANDIDATES_FILE = "candidates.yaml"


class CandidateFibre(Strict):
    a: str
    b: str
    length_m: int = Field(gt=0)
    new_trench: bool = False
    via_ducts: list[str] = Field(default_factory=list)
    note: str = ""


def load_candidates(topology_dir: Path, devices: Collection[str], ducts: Collection[str]) -> list[CandidateFibre]:
    """Every candidate, checked against the inventory; a missing file means no candidates."""
    doc = load_yaml(topology_dir / CANDIDATES_FILE, required=False)
    raw = doc.data.get("candidates") if isinstance(doc.data, dict) else None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError.at(doc.name, doc.line_of(("candidates",)), "candidates", "expected a list")
    issues: list[Issue] = []
    out = []
    for i, entry in enumerate(raw):
        cand = _validate(CandidateFibre, entry, doc, ("candidates", i), issues)
        if cand is None:
            continue
        for side in ("a", "b"):
            if getattr(cand, side) not in devices:
                issues.append(Issue(doc.name, doc.line_of(("candidates", i, side)), f"candidates[{i}].{side}",
                                    f"unknown device {getattr(cand, side)!r}"))
        for j, duct in enumerate(cand.via_ducts):
            if duct not in ducts:
                issues.append(Issue(doc.name, doc.line_of(("candidates", i, "via_ducts", j)),
                                    f"candidates[{i}].via_ducts[{j}]", f"unknown duct {duct!r}"))
        out.append(cand)
    if issues:
        raise InputError(issues)
    return out
