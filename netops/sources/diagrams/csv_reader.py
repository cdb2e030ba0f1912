"""A CSV link list, for PDs without a drawing tool (a spreadsheet saved as CSV).

One row per cable; comma or semicolon separated (Indonesian Excel uses `;`); UTF-8 (with
or without BOM) or UTF-16. Columns (English or Indonesian header names)::

    a_device,a_interface,b_device,b_interface,speed_mbps
    edge-disdukcapil-01,ether2,sw-disdukcapil-01,Gi0/1,1000

Optional per-end columns `a_role`, `a_model`, `a_serial`, `a_ip` (and `b_...`) describe the
devices. A row with only `a_device` declares a device with no cable (e.g. a spare switch).
"""
from __future__ import annotations

import csv
import io
from typing import Any

from netops.errors import InputError
from netops.models.diagram import device_key
from netops.sources.diagrams.common import DiagramRead, parse_speed, validate_diagram
from netops.sources.diagrams.limits import DIAGRAM_XML, MAX_DEVICES, MAX_LINKS, MAX_ROWS, check_count
from netops.sources.safexml import check_size

FORMAT = "csv"
EXTENSIONS = (".csv", ".tsv")
_ALIASES = {
    "device": ("device", "perangkat", "host", "hostname"),
    "interface": ("interface", "port", "if", "antarmuka"),
    "role": ("role", "peran"),
    "model": ("model", "tipe"),
    "serial": ("serial", "sn"),
    "ip": ("ip", "mgmt_ip"),
}
_DEVICE_FIELDS = {"role": "role", "model": "model", "serial": "serial", "ip": "mgmt_ip"}
_SPEED = ("speed_mbps", "speed", "kecepatan", "kecepatan_mbps")


def sniff(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].lower()
    return (b"," in first or b";" in first) and (b"device" in first or b"perangkat" in first)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (BOM or not) or UTF-16 with BOM; anything else is refused with advice."""
    check_size(data, name, DIAGRAM_XML)
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.at(name, None, "(encoding)",
                            f"not UTF-8 text (byte {exc.start}); save the file as UTF-8") from exc


def _column(header: str) -> tuple[str, str] | None:
    """`a_device`, `device_a`, `perangkat_a`, `A Device` -> ("a", "device")."""
    words = header.strip().lower().replace("-", "_").replace(" ", "_").split("_")
    if len(words) != 2:
        return ("", "speed") if header.strip().lower() in _SPEED else None
    for side, word in ((words[0], words[1]), (words[1], words[0])):
        if side in ("a", "b"):
            canonical = next((key for key, names in _ALIASES.items() if word in names), None)
            if canonical:
                return side, canonical
    return ("", "speed") if header.strip().lower() in _SPEED else None


def read(data: bytes, name: str) -> DiagramRead:
    text = decode_text(data, name)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else "\t" if "\t" in first and "," not in first else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(rows)
    except (StopIteration, csv.Error) as exc:
        raise InputError.at(name, 1, "(header)", "no header row") from exc
    columns = [_column(h) for h in header]
    if ("a", "device") not in columns or ("b", "device") not in columns:
        raise InputError.at(name, 1, "(header)", "the header must name a_device, a_interface, b_device, b_interface "
                                                 f"(found: {', '.join(h.strip() for h in header[:8])})")
    devices: dict[str, dict[str, Any]] = {}
    links: list[dict[str, Any]] = []
    try:
        for line_no, row in enumerate(rows, start=2):
            check_count(name, "rows", line_no - 1, MAX_ROWS, "(rows)", line_no)
            if not any(cell.strip() for cell in row):
                continue
            _read_row(row, columns, devices, links, name, line_no)
            check_count(name, "devices", len(devices), MAX_DEVICES, "(rows)", line_no)
            check_count(name, "cables (rows)", len(links), MAX_LINKS, "(rows)", line_no)
    except csv.Error as exc:
        raise InputError.at(name, None, "(csv)", f"malformed CSV: {exc}") from exc
    return DiagramRead(validate_diagram({"devices": list(devices.values()), "links": links}, name), FORMAT, [])


def _read_row(row: list[str], columns: list[tuple[str, str] | None], devices: dict[str, dict[str, Any]],
              links: list[dict[str, Any]], name: str, line_no: int) -> None:
    cells: dict[tuple[str, str], str] = {}
    for col, value in zip(columns, row, strict=False):   # a short or long row is read as far as the header goes
        if col and value.strip():
            cells[col] = value.strip()
    ends = []
    for side in ("a", "b"):
        device = cells.get((side, "device"))
        if not device:
            continue
        entry = devices.setdefault(device_key(device), {"name": device})
        for key, target in _DEVICE_FIELDS.items():
            given = cells.get((side, key))
            if given and entry.get(target, given) != given:
                raise InputError.at(name, line_no, f"{side}_{key}",
                                    f"{device} has {target} {entry[target]} on an earlier row and {given} here")
            if given:
                entry[target] = given
        ends.append({"device": device, "interface": cells.get((side, "interface"))})
    if len(ends) == 2:
        link: dict[str, Any] = {"a": ends[0], "b": ends[1]}
        if cells.get(("", "speed")):
            link["speed_mbps"] = parse_speed(cells[("", "speed")], "speed_mbps", f"{name}:{line_no}")
        links.append(link)
    elif not ends:
        raise InputError.at(name, line_no, "a_device", "the row names no device")
    elif any(cells.get((side, "interface")) for side in ("a", "b")):
        raise InputError.at(name, line_no, "b_device", "a cable needs a device at both ends")
