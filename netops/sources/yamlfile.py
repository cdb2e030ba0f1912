"""YAML reading that remembers line numbers, so every error can name file:line."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from netops.errors import InputError

Path_ = tuple[str | int, ...]


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
        if self._tree is None:
            self._tree = YAML(typ="rt").load(self.text) or CommentedMap()
        return self._tree

    def line_of(self, loc: Path_) -> int | None:
        """1-based line of the deepest node along `loc` that exists in the file."""
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


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it: shorter, and what the user typed."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_yaml(path: Path, *, required: bool = True) -> YamlDoc:
    """Parse one YAML file; a syntax error becomes an InputError with its line."""
    if not path.exists():
        if required:
            raise InputError.at(display_path(path), None, "(file)", "file not found")
        return YamlDoc(path, "", {})
    try:
        text = path.read_text(encoding="utf-8")
        data = YAML(typ="safe").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError.at(display_path(path), line, "(syntax)", f"malformed YAML: {exc.problem or exc.context}") from exc
    except UnicodeDecodeError as exc:
        raise InputError.at(display_path(path), None, "(encoding)", "file is not UTF-8 text") from exc
    return YamlDoc(path, text, {} if data is None else _plain(data))


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
