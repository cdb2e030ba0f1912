"""Read inventory/ (Nornir SimpleInventory files) and topology/ into checked models.

The files stay loadable by stock Nornir: netops' own fields live under `data:`,
PDs are Nornir groups named `pd_<code>` whose data carries a `pd:` block, platforms
are groups named `platform_<name>`. Every problem found is an Issue with file:line:field;
loading collects all of them instead of stopping at the first. Whatever shape a file has (a
string where a mapping belongs, a port in words, credentials), the answer is an Issue, never an
exception. Suspicious but legal things (duplicate loopbacks or serials, names differing only in
case, cyclic parent groups, a gateway inside its own pool) are warnings.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from netops.errors import InputError, Issue
from netops.models.inventory import PD, Device, Role, Site
from netops.models.plant import Duct, FibreLink
from netops.models.vps import PusatData
from netops.sources.nornir_entries import entries, entry, kind_of, top_mapping
from netops.sources.yamlfile import YamlDoc, field_path, load_yaml

PD_GROUP_PREFIX = "pd_"



@dataclass
class Inventory:
    """Everything declared about the city network, cross-checked."""

    pds: dict[str, PD] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    links: dict[str, FibreLink] = field(default_factory=dict)
    ducts: dict[str, Duct] = field(default_factory=dict)
    pusat_data: PusatData = field(default_factory=PusatData)
    warnings: list[Issue] = field(default_factory=list)

    def devices_of(self, pd_code: str) -> list[Device]:
        return [d for d in self.devices.values() if d.pd == pd_code]

    def counts(self) -> dict[str, int]:
        return {"pds": len(self.pds), "sites": len(self.sites), "devices": len(self.devices),
                "links": len(self.links), "ducts": len(self.ducts)}


def load_inventory(inventory_dir: Path, topology_dir: Path) -> Inventory:
    """Load and check; raise InputError listing every issue when anything is wrong."""
    inventory, issues = check_inventory(inventory_dir, topology_dir)
    if issues:
        raise InputError(issues)
    return inventory


def check_inventory(inventory_dir: Path, topology_dir: Path) -> tuple[Inventory, list[Issue]]:
    """Load what can be loaded and return it with the issues found (empty when clean)."""
    issues: list[Issue] = []
    docs: dict[str, YamlDoc] = {}
    for key, path, required in (
        ("hosts", inventory_dir / "hosts.yaml", True),
        ("groups", inventory_dir / "groups.yaml", True),
        ("defaults", inventory_dir / "defaults.yaml", False),
        ("sites", inventory_dir / "sites.yaml", True),
        ("pusat_data", inventory_dir / "pusat_data.yaml", False),
        ("links", topology_dir / "links.yaml", True),
        ("ducts", topology_dir / "ducts.yaml", True),
    ):
        try:
            docs[key] = load_yaml(path, required=required)
        except InputError as exc:
            issues.extend(exc.issues)
    if issues:
        return Inventory(), issues
    inv = Inventory()
    _read_sites(docs["sites"], inv, issues)
    groups = entries(docs["groups"], "group", issues)
    _read_pds(docs["groups"], groups, inv, issues)
    defaults = entry(docs["defaults"], (), "defaults", docs["defaults"].data or {}, issues) or {}
    _read_devices(docs["hosts"], docs["groups"], groups, defaults, inv, issues)
    _read_plant(docs["ducts"], "ducts", Duct, inv.ducts, issues)
    _read_plant(docs["links"], "links", FibreLink, inv.links, issues)
    _read_pusat_data(docs["pusat_data"], inv, issues)
    _check_links(docs["links"], inv, issues)
    _check_devices(docs["hosts"], docs["groups"], inv, issues)
    _warn_devices(docs["hosts"], inv)
    _warn_group_cycles(docs["groups"], groups, inv)
    _warn_pools(docs["pusat_data"], inv)
    return inv, issues


def _validate(model: type[BaseModel], raw: Any, doc: YamlDoc, base: tuple[str | int, ...],
              issues: list[Issue], field_locs: dict[str, tuple[str | int, ...]] | None = None) -> Any:
    """Build a model; each pydantic error becomes an Issue at the offending line and YAML path.

    `field_locs` maps a model field to where it really sits in the file when that differs
    from `base + field` (e.g. a device's mgmt_ip is the Nornir `hostname` key).
    """
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            head = str(loc[0]) if loc else ""
            file_loc = (field_locs or {}).get(head, base + loc)
            if head in (field_locs or {}):
                file_loc = file_loc + loc[1:]
            message = str(err["msg"]).removeprefix("Value error, ")
            issues.append(Issue(doc.name, doc.line_of(file_loc), field_path(file_loc), message))
        return None


def _read_sites(doc: YamlDoc, inv: Inventory, issues: list[Issue]) -> None:
    for site_id, raw in top_mapping(doc, issues).items():
        if not isinstance(raw, dict):
            issues.append(Issue(doc.name, doc.line_of((site_id,)), site_id,
                                f"expected a mapping of name, address, gps, got {kind_of(raw)}"))
            continue
        site = _validate(Site, {"id": site_id, **raw}, doc, (site_id,), issues)
        if site:
            inv.sites[site_id] = site


def _read_pds(doc: YamlDoc, groups: dict[str, Any], inv: Inventory, issues: list[Issue]) -> None:
    for name, raw in groups.items():
        if not name.startswith(PD_GROUP_PREFIX):
            continue
        pd_raw = (raw.get("data") or {}).get("pd")
        if pd_raw is None:
            issues.append(Issue(doc.name, doc.line_of((name,)), f"{name}.data.pd", "PD group has no pd: block"))
            continue
        pd = _validate(PD, pd_raw, doc, (name, "data", "pd"), issues)
        if pd is None:
            continue
        if name != PD_GROUP_PREFIX + pd.code.lower():
            issues.append(Issue(doc.name, doc.line_of((name,)), f"{name}.data.pd.code",
                                f"group {name} must be named {PD_GROUP_PREFIX}{pd.code.lower()}"))
        inv.pds[pd.code] = pd


def _inherited(name: str, groups: dict[str, Any], key: str) -> Any:
    """Nornir's lookup order: the group itself, then its parent groups depth-first (cycles visited once)."""
    stack, seen = [name], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        group = groups.get(current) or {}
        if group.get(key) is not None:
            return group[key]
        if (group.get("data") or {}).get(key) is not None:
            return group["data"][key]
        stack.extend(reversed(group.get("groups") or []))
    return None


def _read_devices(doc: YamlDoc, groups_doc: YamlDoc, groups: dict[str, Any], defaults: dict[str, Any],
                  inv: Inventory, issues: list[Issue]) -> None:
    declared_groups = set(groups_doc.data) if isinstance(groups_doc.data, dict) else set()
    for name, raw in entries(doc, "host", issues).items():
        data = dict(raw.get("data") or {})
        member_of = list(raw.get("groups") or [])
        for g in member_of:
            if g not in declared_groups:
                issues.append(Issue(doc.name, doc.line_of((name, "groups")), f"{name}.groups", f"unknown group {g!r}"))
        pd_groups = [g for g in member_of if g.startswith(PD_GROUP_PREFIX) and g in groups]
        fields: dict[str, Any] = {"hostname": name, "mgmt_ip": raw.get("hostname")}
        for key in ("platform", "lab_platform", "vendor"):
            value = raw.get(key, data.get(key))
            for g in member_of:
                value = value if value is not None else _inherited(g, groups, key)
            value = value if value is not None else defaults.get(key, (defaults.get("data") or {}).get(key))
            if value is not None:
                fields[key] = value
        fields.update({k: v for k, v in data.items() if k not in ("vendor", "lab_platform", "platform")})
        if len(pd_groups) > 1:
            issues.append(Issue(doc.name, doc.line_of((name, "groups")), f"{name}.groups",
                                f"device is in {len(pd_groups)} PDs ({', '.join(pd_groups)}); a device has one owner"))
        if not pd_groups:
            issues.append(Issue(doc.name, doc.line_of((name, "groups")), f"{name}.groups",
                                f"device {name} is in no PD (add a {PD_GROUP_PREFIX}<code> group)"))
            fields["pd"] = ""
        else:
            pd_block = _inherited(pd_groups[0], groups, "pd") or {}
            fields["pd"] = str(pd_block.get("code", ""))
        locs: dict[str, tuple[str | int, ...]] = {"hostname": (name,), "mgmt_ip": (name, "hostname"), "platform": (name, "groups"), "pd": (name, "groups")}
        device = _validate(Device, fields, doc, (name, "data"), issues, locs)
        if device:
            inv.devices[name] = device


def _read_plant(doc: YamlDoc, key: str, model: type[BaseModel], into: dict[str, Any], issues: list[Issue]) -> None:
    listed = top_mapping(doc, issues).get(key)
    if not isinstance(listed, list):
        issues.append(Issue(doc.name, doc.line_of((key,)), key, f"expected a list under {key}:"))
        return
    for i, raw in enumerate(listed):
        item = _validate(model, raw, doc, (key, i), issues)
        if item is None:
            continue
        if item.id in into:
            issues.append(Issue(doc.name, doc.line_of((key, i, "id")), f"{key}[{i}].id", f"duplicate id {item.id}"))
        into[item.id] = item


def _read_pusat_data(doc: YamlDoc, inv: Inventory, issues: list[Issue]) -> None:
    raw = top_mapping(doc, issues)
    if raw:
        pusat = _validate(PusatData, raw, doc, (), issues)
        if pusat:
            inv.pusat_data = pusat
            _check_pusat_data(doc, pusat, inv, issues)


def _check_pusat_data(doc: YamlDoc, pusat: PusatData, inv: Inventory, issues: list[Issue]) -> None:
    """Cross-references VPS provisioning relies on: PDs, sites, pools, policies, no overlapping pools."""
    def issue(loc: tuple[str | int, ...], message: str) -> None:
        issues.append(Issue(doc.name, doc.line_of(loc), field_path(loc), message))

    for key in ("hosts", "storage_pools", "ip_pools", "templates", "backup_targets", "backup_policies"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(pusat, key)):
            if item.name in seen:
                issue((key, i, "name"), f"duplicate name {item.name}")
            seen.add(item.name)
    for key, owners in (("quotas", [q.pd for q in pusat.quotas]), ("ip_pools", [p.pd for p in pusat.ip_pools])):
        for i, pd in enumerate(owners):
            if pd is not None and pd not in inv.pds:
                issue((key, i, "pd"), f"unknown PD {pd!r}")
    pool_names = {p.name for p in pusat.storage_pools}
    for i, host in enumerate(pusat.hosts):
        if inv.sites and host.site not in inv.sites:
            issue(("hosts", i, "site"), f"unknown site {host.site!r}")
        if pool_names and host.storage_pool not in pool_names:
            issue(("hosts", i, "storage_pool"), f"unknown storage pool {host.storage_pool!r}")
    targets = {t.name for t in pusat.backup_targets}
    for i, policy in enumerate(pusat.backup_policies):
        if policy.target not in targets:
            issue(("backup_policies", i, "target"), f"unknown backup target {policy.target!r}")
    if pusat.default_backup_policy and pusat.backup_policy(pusat.default_backup_policy) is None:
        issue(("default_backup_policy",), f"unknown backup policy {pusat.default_backup_policy!r}")
    pools = pusat.ip_pools
    for i, a in enumerate(pools):
        for j in range(i + 1, len(pools)):
            b = pools[j]
            if int(a.first) <= int(b.last) and int(b.first) <= int(a.last):
                issue(("ip_pools", j, "first"), f"pool {b.name} ({b.first}-{b.last}) overlaps {a.name} "
                                               f"({a.first}-{a.last})")


def _check_links(doc: YamlDoc, inv: Inventory, issues: list[Issue]) -> None:
    used: dict[tuple[str, str], str] = {}
    for i, link in enumerate(inv.links.values()):
        for side, end in (("a", link.a), ("b", link.b)):
            where = ("links", i, side)
            device = inv.devices.get(end.device)
            if device is None:
                issues.append(Issue(doc.name, doc.line_of(where + ("device",)), f"links[{i}].{side}.device",
                                    f"link {link.id}: unknown device {end.device!r}"))
                continue
            if device.interface(end.interface) is None:
                issues.append(Issue(doc.name, doc.line_of(where + ("interface",)), f"links[{i}].{side}.interface",
                                    f"link {link.id}: device {end.device} has no interface {end.interface!r}"))
            key = (end.device, end.interface)
            if key in used:
                issues.append(Issue(doc.name, doc.line_of(where), f"links[{i}].{side}",
                                    f"link {link.id}: {end.device} {end.interface} is already used by {used[key]}"))
            used[key] = link.id
        _check_link_subnet(doc, i, link, inv, issues)
        for j, duct_id in enumerate(link.ducts):
            if duct_id not in inv.ducts:
                issues.append(Issue(doc.name, doc.line_of(("links", i, "ducts", j)), f"links[{i}].ducts[{j}]",
                                    f"link {link.id}: unknown duct {duct_id!r}"))


def _check_link_subnet(doc: YamlDoc, i: int, link: FibreLink, inv: Inventory, issues: list[Issue]) -> None:
    """Both ends of a routed fibre sit on the same subnet (a /31), or one end is mis-addressed."""
    ends = [inv.devices[e.device].interface(e.interface) if e.device in inv.devices else None for e in link.ends()]
    a, b = (end.ipv4 if end else None for end in ends)
    if a is not None and b is not None and (a.network != b.network or a.ip == b.ip):
        issues.append(Issue(doc.name, doc.line_of(("links", i, "b", "interface")), f"links[{i}].b.interface",
                            f"link {link.id}: ends are not on one subnet ({link.a.device} {a}, {link.b.device} {b})"))


def _check_devices(hosts: YamlDoc, groups: YamlDoc, inv: Inventory, issues: list[Issue]) -> None:
    first_with_ip: dict[str, str] = {}
    for name, device in inv.devices.items():
        ip = str(device.mgmt_ip)
        if ip in first_with_ip:
            issues.append(Issue(hosts.name, hosts.line_of((name, "hostname")), f"{name}.hostname",
                                f"duplicate management IP {ip} (also {first_with_ip[ip]})"))
        first_with_ip.setdefault(ip, name)
        if device.site not in inv.sites:
            issues.append(Issue(hosts.name, hosts.line_of((name, "data", "site")), f"{name}.data.site",
                                f"unknown site {device.site!r}"))
        names = Counter(i.name for i in device.interfaces)
        for iface, count in names.items():
            if count > 1:
                issues.append(Issue(hosts.name, hosts.line_of((name, "data", "interfaces")),
                                    f"{name}.data.interfaces", f"interface {iface} declared {count} times"))
    edge_pds = {d.pd for d in inv.devices.values() if d.role == Role.pd_edge}
    for code in inv.pds:
        if code not in edge_pds:
            group = PD_GROUP_PREFIX + code.lower()
            issues.append(Issue(groups.name, groups.line_of((group,)), f"{group}.data.pd",
                                f"PD {code} has no edge router (no device with role pd-edge)"))


def _warn_devices(hosts: YamlDoc, inv: Inventory) -> None:
    """Legal but almost always a copy-paste slip: shared loopbacks or serials, names differing in case."""
    def warn(name: str, key: str, message: str) -> None:
        inv.warnings.append(Issue(hosts.name, hosts.line_of((name, "data", key)), f"{name}.data.{key}", message))

    loopbacks: dict[str, str] = {}
    serials: dict[str, str] = {}
    lowered: dict[str, str] = {}
    for name, device in inv.devices.items():
        if device.loopback is not None:
            ip = str(device.loopback.ip)
            if ip in loopbacks:
                warn(name, "loopback", f"loopback {ip} is also {loopbacks[ip]}'s")
            loopbacks.setdefault(ip, name)
        if device.serial:
            serial = device.serial.strip().upper()
            if serial in serials:
                warn(name, "serial", f"serial {device.serial} is also {serials[serial]}'s")
            serials.setdefault(serial, name)
        if name.lower() in lowered:
            inv.warnings.append(Issue(hosts.name, hosts.line_of((name,)), name,
                                      f"{name} and {lowered[name.lower()]} differ only in case; "
                                      "devices and LLDP compare names case-insensitively"))
        lowered.setdefault(name.lower(), name)


def _warn_group_cycles(doc: YamlDoc, groups: dict[str, dict[str, Any]], inv: Inventory) -> None:
    """A group that is its own ancestor: Nornir's lookup stops at the repeat, so values depend on order."""
    state: dict[str, str] = {}          # "open" while on the current path, "done" after
    for start in groups:
        if start in state:
            continue
        path: list[tuple[str, list[str]]] = [(start, list(groups[start].get("groups") or []))]
        state[start] = "open"
        while path:
            name, parents = path[-1]
            if not parents:
                state[name] = "done"
                path.pop()
                continue
            parent = parents.pop(0)
            if state.get(parent) == "open":
                names = [n for n, _ in path]
                cycle = " > ".join(names[names.index(parent):] + [parent])
                inv.warnings.append(Issue(doc.name, doc.line_of((name, "groups")), f"{name}.groups",
                                          f"parent groups form a cycle: {cycle}"))
            elif parent in groups and parent not in state:
                state[parent] = "open"
                path.append((parent, list(groups[parent].get("groups") or [])))


def _warn_pools(doc: YamlDoc, inv: Inventory) -> None:
    for i, pool in enumerate(inv.pusat_data.ip_pools):
        if int(pool.first) <= int(pool.gateway) <= int(pool.last):
            inv.warnings.append(Issue(doc.name, doc.line_of(("ip_pools", i, "gateway")), f"ip_pools[{i}].gateway",
                                      f"gateway {pool.gateway} is inside the pool {pool.first}-{pool.last} "
                                      "(it is never handed out, but the range says otherwise)"))
