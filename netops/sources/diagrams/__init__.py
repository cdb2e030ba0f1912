"""Diagram readers: one plug per format behind one contract, picked by extension or content.

To add a format, write a module with `FORMAT`, `EXTENSIONS`, `sniff(head)` and
`read(data, name) -> DiagramRead`, and list it in `READERS`. Every reader raises only
`InputError` for bad input (tests feed all of them mutated and hostile files).
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from netops.errors import InputError
from netops.sources.diagrams import csv_reader, drawio, graphml, yaml_reader
from netops.sources.diagrams.common import DiagramRead
from netops.sources.diagrams.limits import DIAGRAM_XML, MAX_BYTES
from netops.sources.safexml import check_size

__all__ = [
    "READERS",
    "DiagramRead",
    "DiagramReader",
    "load_bytes",
    "read_diagram",
    "read_diagram_file",
    "reader_for",
]


class DiagramReader(Protocol):
    """A reader module: its constants (read-only, so a module's tuple literal fits) and two functions."""

    @property
    def FORMAT(self) -> str: ...

    @property
    def EXTENSIONS(self) -> tuple[str, ...]: ...

    def sniff(self, head: bytes) -> bool: ...

    def read(self, data: bytes, name: str) -> DiagramRead: ...


READERS: tuple[DiagramReader, ...] = (drawio, graphml, yaml_reader, csv_reader)


def reader_for(name: str, data: bytes) -> DiagramReader:
    """By extension first (`.drawio`, `.graphml`, `.yaml`/`.json`, `.csv`), else by the first bytes."""
    suffix = Path(name).suffix.lower()
    head = data[:4096]
    for reader in READERS:
        if suffix in reader.EXTENSIONS:
            return reader
    for reader in READERS:
        if reader.sniff(head):
            return reader
    raise InputError.at(name, None, "(format)", "unknown diagram format: expected draw.io (.drawio), GraphML "
                                                "(.graphml), netops YAML/JSON (.yaml, .json) or a CSV link list (.csv)")


def read_diagram(data: bytes, name: str) -> DiagramRead:
    """Any supported diagram, from its bytes (a file, an upload, or a stored submission)."""
    check_size(data, name, DIAGRAM_XML)
    return reader_for(name, data).read(data, name)


def load_bytes(path: Path) -> bytes:
    """Reads at most MAX_BYTES + 1 bytes: a 50 MB upload is refused without loading it."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
            size = max(len(data), path.stat().st_size)
    except OSError as exc:
        raise InputError.at(path, None, "(file)", f"cannot read: {exc.strerror or exc}") from exc
    check_size(data, str(path), DIAGRAM_XML, size=size)
    return data


def read_diagram_file(path: Path) -> DiagramRead:
    return read_diagram(load_bytes(path), str(path))
