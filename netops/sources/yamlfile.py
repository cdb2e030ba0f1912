"""YAML reading that remembers line numbers, so every error can name file:line.

Every YAML file netops reads (inventory, topology, netops.yaml, the secrets file, diagrams)
may come from a careless or hostile hand, so before anything is built the event stream is
checked against bounds a real file never reaches: nesting depth (a 20,000-deep `[[[` would
exhaust the stack), aliases and the size they expand to ("billion laughs": ten lines that
expand to 10^9 nodes), and tags (only YAML's standard types; `!!python/...` is refused).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
)

from netops.errors import InputError
from netops.files import read_capped

Path_ = tuple[str | int, ...]
_UNPARSABLE = object()

# Bounds, each far above any real file and far below what hurts the machine:
MAX_DEPTH = 64                 # the inventory nests 6 deep; a diagram 4
MAX_ALIASES = 100              # anchors are a convenience for a few repeated blocks, not a compressor
MAX_NODES = 1_000_000          # after alias expansion: ~100x the sample city's hosts.yaml, ~150 MB of objects
MAX_BYTES = 16 * 1024 * 1024   # a 15,000-device hosts.yaml is ~12 MB
_STANDARD_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in (
    "str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "omap", "set", "merge"))


@dataclass
class YamlDoc:
    """A parsed YAML file: plain data for models, plus a locator for error lines.

    The data comes from the fast safe loader; the slower round-trip tree that knows
    line numbers is built only when an error needs a line.
    """

    path: Path
    text: str
    data: Any
    _tree: Any = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return display_path(self.path)

    @property
    def tree(self) -> Any:
        """The round-trip tree (None when its parser, stricter than the fast one in corners, refuses the text)."""
        if self._tree is None:
            try:
                self._tree = YAML(typ="rt").load(self.text) or CommentedMap()
            except YAMLError:
                self._tree = _UNPARSABLE
        return None if self._tree is _UNPARSABLE else self._tree

    def line_of(self, loc: Path_) -> int | None:
        """1-based line of the deepest node along `loc` that exists in the file (None if unknown)."""
        if self.tree is None:
            return None
        node, line = self.tree, 1
        for key in loc:
            if isinstance(node, CommentedMap) and key in node:
                line = node.lc.key(key)[0] + 1
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
                line = node.lc.item(key)[0] + 1
                node = node[key]
            else:
                break
        return line


def field_path(loc: tuple[str | int, ...]) -> str:
    """`("links", 1, "a", "device")` -> `links[1].a.device`: the way a person points into YAML."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it: shorter, and what the user typed."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def check_yaml(text: str, name: str, *, aliases: bool = True, max_nodes: int = MAX_NODES) -> None:
    """Refuse, with file:line, a document deeper, more aliased, bigger once expanded, or more exotic
    than the bounds above (`aliases=False`: any alias at all). Reads events only: nothing is built."""
    sizes: dict[str, int] = {}        # anchor -> nodes it stands for, expanded
    open_: list[list[Any]] = [[None, 0]]   # per open collection: [anchor, nodes so far]
    n_aliases = 0

    def refuse(event: object, message: str) -> InputError:
        mark = getattr(event, "start_mark", None)
        return InputError.at(name, mark.line + 1 if mark else None, "(yaml)", message)

    try:
        for event in YAML(typ="safe").parse(text):
            if isinstance(event, NodeEvent):
                tag = getattr(event, "tag", None)
                if tag is not None and str(tag) != "!" and str(tag) not in _STANDARD_TAGS:
                    shown = str(tag).replace("tag:yaml.org,2002:", "!!")
                    raise refuse(event, f"unknown YAML tag {shown}: only plain YAML values are accepted")
            if isinstance(event, AliasEvent):
                n_aliases += 1
                if not aliases:
                    raise refuse(event, "YAML aliases (*name) are not allowed in this file")
                if n_aliases > MAX_ALIASES:
                    raise refuse(event, f"more than {MAX_ALIASES} YAML aliases (*name); refused")
                open_[-1][1] += sizes.get(str(event.anchor), 1)
            elif isinstance(event, CollectionStartEvent):
                if len(open_) > MAX_DEPTH:
                    raise refuse(event, f"nested more than {MAX_DEPTH} levels deep; refused")
                open_.append([event.anchor, 1])
            elif isinstance(event, CollectionEndEvent):
                anchor, count = open_.pop()
                if anchor is not None:
                    sizes[str(anchor)] = count
                open_[-1][1] += count
            elif isinstance(event, NodeEvent):      # a scalar
                open_[-1][1] += 1
                if event.anchor is not None:
                    sizes[str(event.anchor)] = 1
            if sum(count for _, count in open_) > max_nodes:    # what is open holds everything seen
                raise refuse(event, f"the document {'expands to' if n_aliases else 'has'} more than "
                                    f"{max_nodes:,} values; refused")
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError.at(name, mark.line + 1 if mark else None, "(syntax)",
                            f"malformed YAML: {exc.problem or exc.context}") from exc
    except YAMLError as exc:
        raise InputError.at(name, None, "(syntax)", f"malformed YAML: {exc}") from exc


def read_text(path: Path, name: str, max_bytes: int = MAX_BYTES) -> str:
    """A file's UTF-8 text, or an InputError saying why not (missing, a folder, too big, not text)."""
    raw = read_capped(path, max_bytes, "files", name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.at(name, None, "(encoding)", f"file is not UTF-8 text (byte {exc.start})") from exc


def load_yaml(path: Path, *, required: bool = True) -> YamlDoc:
    """Parse one YAML file within the bounds; any problem becomes an InputError with its line."""
    name = display_path(path)
    if not path.exists():
        if required:
            raise InputError.at(name, None, "(file)", "file not found")
        return YamlDoc(path, "", {})
    return parse_yaml(read_text(path, name), path)


def parse_yaml(text: str, path: Path, *, aliases: bool = True, max_nodes: int = MAX_NODES) -> YamlDoc:
    """YAML text (of the file or upload `path`) within the bounds, as plain data with a line locator."""
    name = display_path(path)
    check_yaml(text, name, aliases=aliases, max_nodes=max_nodes)
    try:
        data = YAML(typ="safe").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError.at(name, line, "(syntax)", f"malformed YAML: {exc.problem or exc.context}") from exc
    except YAMLError as exc:
        raise InputError.at(name, None, "(syntax)", f"malformed YAML: {exc}") from exc
    return YamlDoc(path, text, {} if data is None else _plain(data))


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
