"""The canonical netops diagram: YAML or JSON shaped exactly like `LanDiagram`.

Editors can check it while typing with schemas/lan-diagram.schema.json
(`# yaml-language-server: $schema=../../schemas/lan-diagram.schema.json`). Errors name the
line. Anchors and aliases are refused: a diagram never needs them, and they are how a
"billion laughs" YAML file explodes (the shared YAML bounds of sources/yamlfile.py check that,
nesting and tags before anything is built).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from netops.errors import InputError
from netops.sources.diagrams.common import DiagramRead, validate_diagram
from netops.sources.diagrams.csv_reader import decode_text
from netops.sources.diagrams.limits import MAX_VALUES, check_count
from netops.sources.yamlfile import parse_yaml

FORMAT = "yaml"
EXTENSIONS = (".yaml", ".yml", ".json")


def sniff(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith((b"{", b"---", b"#", b"pd:", b"devices:", b"title:", b"links:"))


def read(data: bytes, name: str) -> DiagramRead:
    text = decode_text(data, name)
    if text.lstrip().startswith(("{", "[")):
        return DiagramRead(validate_diagram(_json(text, name), name), "json", [])
    doc = parse_yaml(text, Path(name), aliases=False, max_nodes=MAX_VALUES)
    return DiagramRead(validate_diagram(doc.data, name, doc.line_of), FORMAT, [])


def _json(text: str, name: str) -> Any:
    # Every value of a diagram sits in an object or a list: count their openings before parsing.
    check_count(name, "objects and lists in the file", text.count("{") + text.count("["), MAX_VALUES)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.at(name, exc.lineno, "(syntax)", f"malformed JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise InputError.at(name, None, "(syntax)", "JSON nested too deeply") from exc
