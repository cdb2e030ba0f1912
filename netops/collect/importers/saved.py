"""Saved outputs as pieces: (device, platform, command, format, text), whatever container they came in.

Containers: one text file per device (several commands in one file are split at their prompts,
`switch-1#show cdp nei det`, `user@sw> show lldp neighbors`), N2G-style folders `platform/host.txt`,
SuzieQ's raw poller output (concatenated JSON lists of {hostname, devtype, cmd, data}), and NAPALM
getter JSON ({"get_facts": ..., "get_lldp_neighbors_detail": ...}). Commands may be abbreviated as
an engineer types them (`sh lldp nei det`); each token must be a prefix of the known command's.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from netops.errors import InputError
from netops.files import read_capped
from netops.models.names import short_host

MAX_FILE_BYTES = 20 * 1024 * 1024     # the largest `show tech` of a chassis switch is a few MB
MAX_FILES = 5_000                      # a city's worth of devices, with room for several commands each
MAX_JSON_DEPTH = 64

# platform aliases (netmiko/ntc-templates, SuzieQ devtype, NAPALM driver names) -> our family name
PLATFORM_ALIASES = {
    "ios": "ios", "iosxe": "ios", "ios-xe": "ios", "cisco_ios": "ios", "cisco_xe": "ios",
    "nxos": "nxos", "nxos_ssh": "nxos", "cisco_nxos": "nxos",
    "eos": "eos", "arista_eos": "eos",
    "junos": "junos", "juniper_junos": "junos", "juniper": "junos", "junos-qfx": "junos", "junos-mx": "junos",
    "junos-ex": "junos", "junos-qfx10k": "junos", "junos-es": "junos",
    "vrp": "vrp", "huawei": "vrp", "huawei_vrp": "vrp", "huawei_vrpv8": "vrp",
    "routeros": "routeros", "mikrotik_routeros": "routeros", "mikrotik": "routeros",
    "panos": "panos", "paloalto_panos": "panos",
    "linux": "lldpd", "cumulus": "lldpd", "lldpd": "lldpd", "sonic": "lldpd",
}


@dataclass(frozen=True)
class SavedOutput:
    """One command's output for one device, as found in a saved file."""

    host: str
    platform: str          # family name, or "" when nothing told it
    command: str           # as typed (may be abbreviated, may carry `| json`)
    text: str
    source: str            # file it came from (and the entry, for a SuzieQ list)
    sha256: str            # of the whole source file


def platform_family(name: str) -> str:
    return PLATFORM_ALIASES.get(name.strip().lower(), "")


def _read(path: Path) -> tuple[str, str]:
    """(text, sha256) of one file, refusing folders, huge files and binary content with one line."""
    data = read_capped(path, MAX_FILE_BYTES, "saved outputs")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.at(path, None, "(file)", "binary content, not a saved command output")
    for encoding in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return data.decode(encoding), hashlib.sha256(data).hexdigest()
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), hashlib.sha256(data).hexdigest()   # old devices print Latin-1


def _json_documents(text: str, name: str) -> list[object]:
    """One JSON value, or several concatenated (SuzieQ appends one list per poll)."""
    decoder, pos, out = json.JSONDecoder(), 0, list[object]()
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return out
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError.at(name, exc.lineno, "(json)", f"not valid JSON: {exc.msg}") from exc
        except RecursionError as exc:
            raise InputError.at(name, None, "(json)", "JSON nested too deeply; refused") from exc
        _check_depth(value, name)
        out.append(value)


def _check_depth(value: object, name: str) -> None:
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InputError.at(name, None, "(json)", f"JSON nested deeper than {MAX_JSON_DEPTH}; refused")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _is_suzieq(docs: list[object]) -> bool:
    polls = [d for d in docs if isinstance(d, list)]
    return bool(docs) and len(polls) == len(docs) and any(
        isinstance(e, dict) and {"hostname", "cmd", "data"} <= set(e) for d in polls for e in d)


def _is_napalm(docs: list[object]) -> bool:
    return len(docs) == 1 and isinstance(docs[0], dict) and bool(docs[0]) and all(
        str(k).startswith("get_") for k in docs[0])


# `switch-1#show ...`, `switch-1# show ...`, `admin@fw01> show ...`, `[admin@MikroTik] > /ip neighbor ...`,
# `<HUAWEI>display ...`: a prompt, then a command that starts with a verb we know
_PROMPT = re.compile(
    r"^(?:\[?(?:[\w.-]+@)?(?P<host1>[\w.-]+)\]?\s?[#>$]|<(?P<host2>[\w.-]+)>|\[~?(?P<host3>[\w.-]+)\])\s*"
    r"(?P<command>(?:sh|di|/ip|/interface|lldpc|net\s|sudo\s)\S*.*?)\s*$",
    re.MULTILINE | re.IGNORECASE)


def split_at_prompts(text: str) -> list[tuple[str, str, str]]:
    """[(host, command, output)] for a transcript; [] when it holds no prompt line."""
    marks = list(_PROMPT.finditer(text))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        host = m.group("host1") or m.group("host2") or m.group("host3") or ""
        out.append((host, m.group("command"), text[m.end():end].strip("\n")))
    return out


def _device_name(raw: str) -> str:
    raw = raw.strip()
    return raw if re.fullmatch(r"[\d.:]+", raw) else short_host(raw)


IMPORT_FORMATS = ("auto", "suzieq", "text", "napalm-json")   # how saved outputs may be given


def pieces_of_file(path: Path, fmt: str, platform: str, folder_platform: str = "") -> Iterator[SavedOutput]:
    """Every piece one file holds; `fmt` auto|suzieq|text|napalm-json."""
    text, digest = _read(path)
    name = str(path)
    if not text.strip():
        raise InputError.at(path, None, "(file)", "empty file")
    looks_json = text.lstrip()[:1] in ("[", "{")
    if fmt in ("suzieq", "napalm-json") or (fmt == "auto" and looks_json):
        docs = _json_documents(text, name)
        if fmt == "suzieq" or (fmt == "auto" and _is_suzieq(docs)):
            yield from _suzieq_pieces(docs, name, digest, platform)
            return
        if fmt == "napalm-json" or _is_napalm(docs):
            if not _is_napalm(docs):
                raise InputError.at(path, None, "(json)", 'expected NAPALM getters: {"get_facts": ..., ...}')
            yield SavedOutput(_device_name(path.stem), "napalm", "napalm getters", text, name, digest)
            return
        # a device's own JSON output (`| json`), saved on its own: the command is told by the content
    family = platform_family(platform) or platform_family(folder_platform)
    split = split_at_prompts(text)
    if split:
        # one file is one device's session, named by its first prompt (as N2G reads them): a later
        # prompt with another name is a copy-paste slip more often than a hop to another device
        device = _device_name(split[0][0] or path.stem)
        for _, command, output in split:
            yield SavedOutput(device, family, command, output, name, digest)
    else:
        command = path.stem.split("__", 1)[1].replace("_", " ") if "__" in path.stem else ""
        yield SavedOutput(_device_name(path.stem.split("__", 1)[0]), family, command, text, name, digest)


def _suzieq_pieces(docs: list[object], name: str, digest: str, platform: str) -> Iterator[SavedOutput]:
    for d, doc in enumerate(docs):
        if not isinstance(doc, list):
            raise InputError.at(name, None, f"[{d}]", "expected a list of SuzieQ poller entries")
        for i, entry in enumerate(doc):
            if not isinstance(entry, dict) or not isinstance(entry.get("hostname"), str):
                raise InputError.at(name, None, f"[{d}][{i}]", "entry without a hostname")
            data = entry.get("data")
            text = data if isinstance(data, str) else json.dumps(data)
            family = platform_family(platform) or platform_family(str(entry.get("devtype", "")))
            yield SavedOutput(_device_name(entry["hostname"]), family, str(entry.get("cmd", "")), text,
                              f"{name}[{d}][{i}]", digest)


def collect_pieces(path: Path, fmt: str = "auto", platform: str = "") -> tuple[list[SavedOutput], list[str]]:
    """Every piece under a file or a folder (N2G's `platform/host.txt`: the folder names the platform),
    and the files of a folder that were refused (binary, huge, broken JSON), each with its reason.

    A single file that cannot be read is an InputError; in a folder, one bad file (a screenshot in the
    contractor's zip) is listed and the others are read."""
    if fmt not in IMPORT_FORMATS:
        raise InputError.at(path, None, "format", f"unknown format {fmt!r}; choose {', '.join(IMPORT_FORMATS)}")
    if platform and not platform_family(platform) and platform != "napalm":
        known = ", ".join(sorted(set(PLATFORM_ALIASES)))
        raise InputError.at(path, None, "platform", f"unknown platform {platform!r}; known: {known}")
    if not path.is_dir():
        if not path.exists():
            raise InputError.at(path, None, "(file)", "file not found")
        return list(pieces_of_file(path, fmt, platform)), []
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    if len(files) > MAX_FILES:
        raise InputError.at(path, None, "(folder)", f"{len(files)} files; at most {MAX_FILES} per import")
    out: list[SavedOutput] = []
    refused: list[str] = []
    for file in files:
        if file.suffix.lower() in (".yml", ".yaml", ".md") or file.name.startswith("LICENSE"):
            continue             # expected tables and notes that travel beside the outputs
        try:
            out.extend(pieces_of_file(file, fmt, platform, file.parent.name if file.parent != path else ""))
        except InputError as exc:
            refused.append(str(exc))
    if not out and refused:
        raise InputError.at(path, None, "(folder)", f"no file could be read; first: {refused[0]}")
    return out, refused
