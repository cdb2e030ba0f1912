"""The VPS register in the store: reads and writes over one open transaction (a Connection).

Callers (netops.provision.service) hold the transaction: allocation reads usage and held
addresses and writes the new VPS in the same one, so concurrent creates serialise.
Timestamps are UTC ISO 8601 text, comparable as strings.
"""
from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Address
from typing import Any

from sqlalchemy import Connection, RowMapping, text

from netops.models.vps import Resources, Vps, VpsRecord, VpsState

_LIVE = "v.state <> 'decommissioned'"
_SELECT = """
SELECT v.*, i.ip AS ip, i.pool AS ip_pool, i.vlan AS vlan, i.freed_at AS ip_freed_at
FROM vps v JOIN vps_ip i ON i.id = (SELECT MAX(id) FROM vps_ip WHERE vps_id = v.id)
"""


def _vps(row: RowMapping) -> Vps:
    return Vps.model_validate(dict(row))


def get(conn: Connection, name: str) -> Vps | None:
    row = conn.execute(text(_SELECT + " WHERE v.name = :n"), {"n": name}).mappings().first()
    return _vps(row) if row else None


def get_live_by_request(conn: Connection, key: str) -> Vps | None:
    row = conn.execute(text(_SELECT + f" WHERE v.request_key = :k AND {_LIVE}"), {"k": key}).mappings().first()
    return _vps(row) if row else None


def list_vps(conn: Connection, pd: str | None = None, include_decommissioned: bool = True) -> list[Vps]:
    where, params = [], {}
    if pd:
        where.append("v.pd = :pd")
        params["pd"] = pd
    if not include_decommissioned:
        where.append(_LIVE)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY v.name"
    return [_vps(r) for r in conn.execute(text(sql), params).mappings()]


def used_by_host(conn: Connection) -> dict[str, Resources]:
    rows = conn.execute(text(f"SELECT host, SUM(vcpu), SUM(memory_mib), SUM(disk_gib) FROM vps v WHERE {_LIVE} "
                             "GROUP BY host"))
    return {r[0]: Resources(int(r[1]), int(r[2]), int(r[3])) for r in rows}


def used_by_pd(conn: Connection, pd: str) -> tuple[Resources, int]:
    r = conn.execute(text(f"SELECT COALESCE(SUM(vcpu),0), COALESCE(SUM(memory_mib),0), COALESCE(SUM(disk_gib),0), "
                          f"COUNT(*) FROM vps v WHERE pd = :pd AND {_LIVE}"), {"pd": pd}).one()
    return Resources(int(r[0]), int(r[1]), int(r[2])), int(r[3])


def replicas_by_host(conn: Connection, pd: str, slug: str) -> dict[str, int]:
    rows = conn.execute(text(f"SELECT host, COUNT(*) FROM vps v WHERE pd = :pd AND purpose_slug = :s AND {_LIVE} "
                             "GROUP BY host"), {"pd": pd, "s": slug})
    return {r[0]: int(r[1]) for r in rows}


def names_like(conn: Connection, prefix: str) -> list[str]:
    return [r[0] for r in conn.execute(text("SELECT name FROM vps WHERE name LIKE :p"), {"p": prefix + "%"})]


def held_addresses(conn: Connection, pools: Iterable[str]) -> dict[str, set[IPv4Address]]:
    held: dict[str, set[IPv4Address]] = {p: set() for p in pools}
    for pool, ip in conn.execute(text("SELECT pool, ip FROM vps_ip WHERE freed_at IS NULL")):
        if pool in held:
            held[pool].add(IPv4Address(ip))
    return held


def next_id(conn: Connection) -> int:
    """The id of the VPS about to be inserted (its MAC is derived from it).

    PostgreSQL: the table's sequence, so the sequence never falls behind the ids in use
    (`netops store check` verifies that) and two serializable creates never pick the same id;
    a retried create leaves a gap, which nothing relies on. SQLite: MAX(id)+1 under the write lock.
    """
    if conn.dialect.name == "postgresql":
        return int(conn.execute(text("SELECT nextval(pg_get_serial_sequence('vps', 'id'))")).scalar_one())
    return int(conn.execute(text("SELECT COALESCE(MAX(id), 0) + 1 FROM vps")).scalar_one())


def insert(conn: Connection, record: VpsRecord, pool: str, ip: IPv4Address, vlan: int) -> None:
    """The vps row (every column, from the one row model) and the address row beside it."""
    row = record.columns()
    conn.execute(text(f"INSERT INTO vps ({', '.join(row)}) VALUES ({', '.join(':' + c for c in row)})"), row)
    conn.execute(text("INSERT INTO vps_ip (vps_id, pool, ip, vlan, allocated_at) VALUES (:v, :p, :ip, :vlan, :at)"),
                 {"v": record.id, "p": pool, "ip": str(ip), "vlan": vlan, "at": row["created_at"]})


def update(conn: Connection, vps_id: int, at: str, by: str, **fields: Any) -> None:
    sets = ", ".join(f"{k} = :{k}" for k in fields)
    conn.execute(text(f"UPDATE vps SET {sets}, changed_at = :at, changed_by = :by WHERE id = :id"),
                 {**fields, "at": at, "by": by, "id": vps_id})


def set_state(conn: Connection, vps_id: int, state: VpsState, at: str, by: str) -> None:
    update(conn, vps_id, at, by, state=state.value)


def release_addresses(conn: Connection, decommissioned_before: str) -> int:
    """Free the addresses of VPS decommissioned before the cut-off (the grace period is over)."""
    result = conn.execute(text(
        "UPDATE vps_ip SET freed_at = (SELECT decommissioned_at FROM vps WHERE vps.id = vps_ip.vps_id) "
        "WHERE freed_at IS NULL AND vps_id IN (SELECT id FROM vps WHERE state = 'decommissioned' "
        "AND decommissioned_at <= :cut)"), {"cut": decommissioned_before})
    return int(result.rowcount or 0)


def add_backup(conn: Connection, vps_id: int, at: str, status: str, snapshot: str | None, size_bytes: int | None,
               source: str, recorded_at: str, recorded_by: str) -> bool:
    """Record one backup run; False when that run was already recorded (imports are re-runnable)."""
    seen = conn.execute(text("SELECT 1 FROM vps_backup WHERE vps_id = :v AND at = :at AND status = :s"),
                        {"v": vps_id, "at": at, "s": status}).first()
    if seen:
        return False
    conn.execute(text("INSERT INTO vps_backup (vps_id, at, status, snapshot, size_bytes, source, recorded_at, "
                      "recorded_by) VALUES (:v, :at, :s, :snap, :size, :src, :rat, :rby)"),
                 {"v": vps_id, "at": at, "s": status, "snap": snapshot, "size": size_bytes, "src": source,
                  "rat": recorded_at, "rby": recorded_by})
    return True


def last_backups(conn: Connection) -> dict[int, dict[str, Any]]:
    """Per VPS id: the last successful backup time and the last attempt (time, status)."""
    out: dict[int, dict[str, Any]] = {}
    for vps_id, at, status in conn.execute(text("SELECT vps_id, at, status FROM vps_backup ORDER BY at")):
        entry = out.setdefault(vps_id, {"last_ok": None, "last_at": None, "last_status": None})
        entry["last_at"], entry["last_status"] = at, status
        if status == "ok":
            entry["last_ok"] = at
    return out
