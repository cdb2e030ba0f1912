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

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from netops.errors import InputError
from netops.sources.diagrams.common import DiagramRead, validate_diagram
from netops.sources.diagrams.csv_reader import decode_text
from netops.sources.yamlfile import YamlDoc, check_yaml

FORMAT = "yaml"
EXTENSIONS = (".yaml", ".yml", ".json")


def sniff(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith((b"{", b"---", b"#", b"pd:", b"devices:", b"title:", b"links:"))


def read(data: bytes, name: str) -> DiagramRead:
    text = decode_text(data, name)
    if text.lstrip().startswith(("{", "[")):
        return DiagramRead(validate_diagram(_json(text, name), name), "json", [])
    tree = _yaml(text, name)
    doc = YamlDoc(path=Path(name), text=text, data=None, _tree=tree)
    return DiagramRead(validate_diagram(_plain(tree), name, doc.line_of), FORMAT, [])


def _json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.at(name, exc.lineno, "(syntax)", f"malformed JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise InputError.at(name, None, "(syntax)", "JSON nested too deeply") from exc


def _yaml(text: str, name: str) -> Any:
    check_yaml(text, name, aliases=False)
    try:
        return YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or exc.__class__.__name__
        raise InputError.at(name, mark.line + 1 if mark else None, "(syntax)", f"malformed YAML: {problem}") from exc


def _plain(node: Any) -> Any:
    """Plain dicts and lists for the model (the round-trip tree keeps line numbers for errors)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
