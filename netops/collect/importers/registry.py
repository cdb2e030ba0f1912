"""Which parser reads a saved piece, and a device's pieces as one observation.

A piece is matched by platform family (given, or told by the folder / SuzieQ's devtype, else guessed
from the output itself), by command (each typed token a prefix of the known command's: `sh lldp nei
det`), and by format (`| json`, `| display json`, `-f json`, or content that starts with `{`). Whatever
cannot be read is listed per device with its reason; nothing is dropped silently.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from netops.collect.importers.contract import ParserSpec
from netops.collect.importers.platforms import lldpd, ntc, panos, vendor_json
from netops.collect.importers.saved import SavedOutput
from netops.collect.normalize import GETTERS, observation
from netops.models.names import canonical_interface
from netops.models.observation import DeviceObservation

SPECS: list[ParserSpec] = [*ntc.SPECS, *vendor_json.SPECS, *lldpd.SPECS, *panos.SPECS]
_JSON_SUFFIX = re.compile(r"\s*(?:\|\s*(?:display\s+)?json\b.*|-f\s+json0?\b|\bjson0?\s*$)", re.IGNORECASE)
_PIPE = re.compile(r"\s*\|.*$")
_NOISE = re.compile(r"^(?:sudo\s+)|;?\s*(?:fi|then)\b")


@dataclass
class DeviceImport:
    """One device's pieces read into an observation, with what could not be used and why."""

    host: str
    observation: DeviceObservation | None
    used: list[str] = field(default_factory=list)        # "source: command (platform, format)"
    skipped: list[str] = field(default_factory=list)     # "source: command: reason"


def _tokens(command: str) -> list[str]:
    command = command.strip().lstrip("/")
    # SuzieQ wraps lldpctl: `if systemctl status lldpd ...; then sudo lldpctl; fi`
    m = re.search(r"\b(lldpctl|lldpcli show neighbors?|net show lldp)\b[^;]*", command)
    if m:
        command = m.group(0)
    return [t for t in re.split(r"\s+", _PIPE.sub("", _JSON_SUFFIX.sub("", command)).lower()) if t]


def command_matches(typed: str, canonical: str) -> bool:
    """`sh lldp nei det` matches `show lldp neighbors detail`: same count, each token a prefix."""
    mine, known = _tokens(typed), canonical.lstrip("/").lower().split()
    return len(mine) == len(known) and all(k.startswith(t) for t, k in zip(mine, known, strict=True))


def _format(piece: SavedOutput) -> str:
    if _JSON_SUFFIX.search(piece.command) or piece.text.lstrip()[:1] == "{":
        return "json"
    return "text"


def find_parser(piece: SavedOutput) -> tuple[ParserSpec | None, str]:
    """The parser for a piece, or None and the reason."""
    fmt = _format(piece)
    candidates = [s for s in SPECS if s.fmt == fmt and (not piece.platform or s.platform == piece.platform)]
    if piece.command:
        named = [s for s in candidates if command_matches(piece.command, s.command)]
        if named:
            sniffed = [s for s in named if s.recognises(piece.text)]
            return (sniffed or named)[0], ""
        if any(command_matches(piece.command, s.command) for s in SPECS):
            return None, f"command known, but not as {fmt} on platform {piece.platform or '(unknown)'}"
        if piece.platform:
            return None, f"command not supported on {piece.platform}"
    sniffed = [s for s in candidates if s.recognises(piece.text)]
    if sniffed:
        return sniffed[0], ""
    return None, "not recognised as an output netops reads (give --platform, or name the command in a prompt line)"


def _canonical(getters: dict[str, Any]) -> dict[str, Any]:
    for entries in getters.get("lldp_neighbors_detail", {}).values():
        for entry in entries:
            port = entry.get("remote_port", "")
            if port and not re.fullmatch(r"[0-9A-Fa-f:.-]{12,17}", port):
                entry["remote_port"] = canonical_interface(port)
    return getters


def _add(into: dict[str, Any], parsed: dict[str, Any], union: bool) -> None:
    """Per interface: neighbours of every piece (each neighbour once); other getters, the first piece's."""
    for port, value in parsed.items():
        if port not in into:
            into[port] = value
        elif union:
            seen = {(e["remote_system_name"], e["remote_port"]) for e in into[port]}
            into[port] = into[port] + [e for e in value if (e["remote_system_name"], e["remote_port"]) not in seen]


def read_device(host: str, pieces: Iterable[SavedOutput]) -> DeviceImport:
    """Every piece of one device parsed and merged into one observation (the first piece per getter wins)."""
    result = DeviceImport(host=host, observation=None)
    getters: dict[str, Any] = {}
    for piece in pieces:
        label = f"{piece.source}: {piece.command or '(unnamed output)'}"
        if piece.platform == "napalm":
            data = json.loads(piece.text)
            wanted = {k: v for k, v in data.items() if k.removeprefix("get_") in GETTERS and isinstance(v, dict)}
            for key, value in wanted.items():
                getters.setdefault(key.removeprefix("get_"), value)
            result.used.append(f"{label} ({', '.join(sorted(wanted)) or 'no getter netops reads'})")
            unknown = sorted(set(data) - set(wanted))
            if unknown:
                result.skipped.append(f"{label}: getters netops does not read: {', '.join(unknown)}")
            continue
        if not piece.text.strip():
            result.skipped.append(f"{label}: empty output")
            continue
        spec, reason = find_parser(piece)
        if spec is None:
            result.skipped.append(f"{label}: {reason}")
            continue
        try:
            parsed = spec.parse(piece.text)
        except ValueError as exc:
            result.skipped.append(f"{label}: {spec.platform} {spec.command} ({spec.fmt}): {exc}")
            continue
        _add(getters.setdefault(spec.getter, {}), parsed, spec.getter == "lldp_neighbors_detail")
        result.used.append(f"{label} ({spec.platform}, {spec.fmt})")
    if getters:
        facts = dict(getters.get("facts") or {})
        facts.setdefault("hostname", host)
        getters["facts"] = facts
        result.observation = observation(host, "import", _canonical(getters))
    return result
