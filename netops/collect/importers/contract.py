"""The one contract every saved-output parser meets, and the helpers they share.

A `ParserSpec` says which platform family, command and format it reads, which NAPALM getter it
fills, and how to recognise its output when nothing names the command. `parse(text)` returns that
getter's NAPALM shape with raw local interface names (the registry canonicalises them) and raises
`ValueError` with a short reason when the text is not what it claims to be.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Getter = dict[str, Any]


@dataclass(frozen=True)
class ParserSpec:
    platform: str                 # family: ios, nxos, eos, junos, vrp, routeros, panos, lldpd
    command: str                  # canonical, full words: "show lldp neighbors detail"
    fmt: str                      # "text" or "json"
    getter: str                   # "lldp_neighbors_detail" or "interfaces"
    parse: Callable[[str], Getter]
    sniff: str = ""               # a regex its output matches (to recognise an unnamed output)

    def recognises(self, text: str) -> bool:
        return bool(self.sniff) and re.search(self.sniff, text[:20_000], re.MULTILINE) is not None


def neighbour(name: str = "", port: str = "", port_description: str = "", chassis_id: str = "",
              description: str = "", capabilities: list[str] | None = None, enabled: list[str] | None = None,
              management_address: str = "", protocol: str = "lldp") -> dict[str, Any]:
    """One `lldp_neighbors_detail` entry in NAPALM's shape; the remote name falls back as SNMP's does."""
    from netops.collect.snmp.normalize import neighbour_name  # the one fallback rule for every source
    system_name, source = neighbour_name(name, chassis_id, description)
    return {"parent_interface": "", "remote_port": port.strip(), "remote_port_description": port_description.strip(),
            "remote_chassis_id": chassis_id.strip(), "remote_system_name": system_name,
            "remote_system_name_from": source, "remote_system_description": description.strip(),
            "remote_system_capab": capabilities or [], "remote_system_enable_capab": enabled or [],
            "remote_management_address": management_address.strip(), "protocol": protocol}


LLDP_CAPABILITY_NAMES = {"b": "bridge", "bridge": "bridge", "r": "router", "router": "router",
                         "w": "wlan-access-point", "wlan": "wlan-access-point", "wlanaccesspoint": "wlan-access-point",
                         "wlan-access-point": "wlan-access-point", "t": "telephone", "telephone": "telephone",
                         "s": "station", "station": "station", "stationonly": "station", "c": "docsis-cable-device",
                         "docsis": "docsis-cable-device", "o": "other", "other": "other", "p": "repeater",
                         "repeater": "repeater"}


def capability_names(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        name = LLDP_CAPABILITY_NAMES.get(re.sub(r"[\s_-]", "", word.lower()), word.lower())
        if name and name not in out:
            out.append(name)
    return out


def mac(text: str) -> str:
    """`2c60.0cad.30de` / `2c-60-0c-ad-30-de` -> `2C:60:0C:AD:30:DE`; anything else unchanged.

    Groups that lost their leading zeros (EOS prints `00c.297b.d2a8`, Linux `0:c:29:7b:d2:a8`) are padded.
    """
    text = text.strip()
    dotted, coloned = re.fullmatch(r"(?:[0-9a-fA-F]{1,4}\.){2}[0-9a-fA-F]{1,4}", text), \
        re.fullmatch(r"(?:[0-9a-fA-F]{1,2}[:-]){5}[0-9a-fA-F]{1,2}", text)
    if dotted:
        text = "".join(group.zfill(4) for group in text.split("."))
    elif coloned:
        text = "".join(group.zfill(2) for group in re.split(r"[:-]", text))
    digits = re.sub(r"[.:-]", "", text)
    if len(digits) == 12 and re.fullmatch(r"[0-9a-fA-F]{12}", digits):
        return ":".join(digits[i:i + 2] for i in range(0, 12, 2)).upper()
    return text


def as_list(value: object) -> list[Any]:
    """JSON that gives one item as an object and several as a list (lldpctl -f json, Junos): always a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first_data(node: Mapping[str, Any], key: str) -> str:
    """Junos JSON (`| display json`): {"key": [{"data": "value"}]} -> "value"."""
    items = as_list(node.get(key))
    if items and isinstance(items[0], Mapping):
        return str(items[0].get("data", "")).strip()
    return str(items[0]).strip() if items else ""
