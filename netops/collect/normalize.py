"""One language for every collector: canonical interface names, short host names, merging.

Each collector hands back NAPALM getter shapes; here they are made comparable (`Gi0/1` and
`GigabitEthernet0/1` become one key) and several collectors' views of one device are merged
into one observation, the first collector winning where they disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from netops.models.names import canonical_interface, short_host
from netops.models.observation import DeviceFailure, DeviceObservation

GETTERS = ("facts", "interfaces", "interfaces_ip", "lldp_neighbors_detail", "interfaces_counters")
_KEYED_BY_INTERFACE = ("interfaces", "interfaces_ip", "lldp_neighbors_detail", "interfaces_counters")


def canonical_keys(table: Mapping[str, Any]) -> dict[str, Any]:
    return {canonical_interface(k): v for k, v in table.items()}


def canonicalise(obs: DeviceObservation) -> DeviceObservation:
    """The same observation with every interface-keyed table keyed by canonical names."""
    update = {key: canonical_keys(getattr(obs, key)) for key in _KEYED_BY_INTERFACE}
    facts = dict(obs.facts)
    if isinstance(facts.get("interface_list"), list):
        facts["interface_list"] = [canonical_interface(i) for i in facts["interface_list"]]
    return obs.model_copy(update={**update, "facts": facts})


def observation(host: str, via: str, getters: Mapping[str, Any]) -> DeviceObservation:
    """NAPALM getter results (`get_facts` or `facts` keys) as one canonical observation."""
    data = {key.removeprefix("get_"): value for key, value in getters.items()}
    fields = {key: data[key] for key in GETTERS if isinstance(data.get(key), dict)}
    return canonicalise(DeviceObservation(host=host, via=via, **fields))


def _merge_dicts(first: Mapping[str, Any], second: Mapping[str, Any]) -> dict[str, Any]:
    """Keys of both; where both have a value, the first one's wins unless it is empty."""
    out = dict(second)
    for key, value in first.items():
        if value not in (None, "", [], {}) or key not in out:
            out[key] = value
    return out


def _neighbour_key(entry: Mapping[str, Any]) -> tuple[str, str]:
    return (
        short_host(str(entry.get("remote_system_name", ""))),
        canonical_interface(str(entry.get("remote_port", ""))),
    )


def _merge_lldp(
    first: Mapping[str, list[dict[str, Any]]], second: Mapping[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    out = {iface: list(entries) for iface, entries in first.items()}
    for iface, entries in second.items():
        known = {_neighbour_key(e) for e in out.get(iface, [])}
        out.setdefault(iface, []).extend(e for e in entries if _neighbour_key(e) not in known)
    return out


def merge(observations: Iterable[DeviceObservation]) -> DeviceObservation:
    """Several collectors' views of one device as one; `via` lists them (`snmp+cli`)."""
    items = list(observations)
    if not items:
        raise ValueError("merge() needs at least one observation")
    merged = items[0]
    for other in items[1:]:
        merged = DeviceObservation(
            host=merged.host,
            via=f"{merged.via}+{other.via}",
            facts=_merge_dicts(merged.facts, other.facts),
            interfaces={
                k: _merge_dicts(merged.interfaces.get(k, {}), other.interfaces.get(k, {}))
                for k in {**merged.interfaces, **other.interfaces}
            },
            interfaces_ip={
                k: _merge_dicts(merged.interfaces_ip.get(k, {}), other.interfaces_ip.get(k, {}))
                for k in {**merged.interfaces_ip, **other.interfaces_ip}
            },
            lldp_neighbors_detail=_merge_lldp(merged.lldp_neighbors_detail, other.lldp_neighbors_detail),
            interfaces_counters={**other.interfaces_counters, **merged.interfaces_counters},
            routes=merged.routes or other.routes,
        )
    return merged


def combine(
    host: str, results: Iterable[DeviceObservation | DeviceFailure]
) -> DeviceObservation | DeviceFailure:
    """Per device: the merge of what answered, else the first failure (with the others' reasons)."""
    items = list(results)
    seen = [r for r in items if isinstance(r, DeviceObservation)]
    if seen:
        return merge(seen)
    failures = [r for r in items if isinstance(r, DeviceFailure)]
    if not failures:
        raise ValueError(f"no result for {host}")
    first = failures[0]
    if len(failures) == 1:
        return first
    others = "; ".join(f"{f.via}: {f.reason.value} ({f.message})" for f in failures[1:])
    return first.model_copy(update={"message": f"{first.message}; {others}"[:600]})


def has_neighbours(result: DeviceObservation | DeviceFailure | None) -> bool:
    return isinstance(result, DeviceObservation) and any(result.lldp_neighbors_detail.values())
