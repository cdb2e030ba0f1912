"""Declared and observed graphs, and their diff."""
from __future__ import annotations

from datetime import UTC, datetime

from netops.analysis.graph import declared_graph, graph_diff, observed_graph, restrict
from netops.models.observation import DeviceObservation, Snapshot
from netops.models.plant import LinkStatus


def test_declared_graph_keeps_active_fibres_as_parallel_edges(sample_inventory):
    g = declared_graph(sample_inventory)
    active = [lk for lk in sample_inventory.links.values() if lk.status == LinkStatus.active]
    assert g.number_of_edges() == len(active)
    assert set(g) == set(sample_inventory.devices)


def test_declared_graph_attributes(sample_inventory):
    g = declared_graph(sample_inventory)
    assert set(g["core-pd-01"]["core-pd-02"]) == {"BTM-FO-0001", "BTM-FO-0002"}  # twins stay two edges
    edge = g.edges["core-pd-02", "edge-mpp-01", "BTM-FO-0022"]
    assert edge["ducts"] == ("DCT-EP-01",) and edge["length_m"] == 900 and edge["capacity_mbps"] == 1000
    assert g.nodes["edge-mpp-01"]["pd"] == "MPP" and g.nodes["edge-mpp-01"]["role"] == "pd-edge"
    assert g.graph["pds"]["MPP"]["routers"] == ["edge-mpp-01"]
    assert g.graph["pds"]["BAPENDA"]["routers"] == ["edge-bapenda-01", "edge-bapenda-02"]


def test_inactive_links_do_not_count(sample_inventory):
    inv = sample_inventory.__class__(**{**sample_inventory.__dict__, "links": dict(sample_inventory.links)})
    inv.links["BTM-FO-0022"] = inv.links["BTM-FO-0022"].model_copy(update={"status": LinkStatus.planned})
    g = declared_graph(inv)
    assert not g.has_edge("core-pd-02", "edge-mpp-01", "BTM-FO-0022")


def _snapshot(observations: dict[str, DeviceObservation]) -> Snapshot:
    now = datetime.now(UTC)
    return Snapshot(id=7, started_at=now, finished_at=now, actor="test", request={}, observations=observations)


def _lldp(host: str, table: dict[str, list[tuple[str, str]]]) -> DeviceObservation:
    return DeviceObservation(host=host, via="test", lldp_neighbors_detail={
        port: [{"remote_system_name": name, "remote_port": rport} for name, rport in entries]
        for port, entries in table.items()})


def test_observed_graph_matches_lldp_to_declared_cables(sample_inventory):
    link = sample_inventory.links["BTM-FO-0022"]  # core-pd-02 <-> edge-mpp-01
    snap = _snapshot({
        link.a.device: _lldp(link.a.device, {link.a.interface: [(f"{link.b.device.upper()}.batam.go.id",
                                                                  link.b.interface)]}),
        link.b.device: _lldp(link.b.device, {link.b.interface: [(link.a.device, link.a.interface)],
                                             "ether9": [("dist-nongsa", "Gi0/0/9"), ("laptop-x", "eth0")]}),
    })
    g = observed_graph(snap, sample_inventory)
    assert g.graph["source"] == "observed:7"
    assert g.has_edge("core-pd-02", "edge-mpp-01", "BTM-FO-0022")
    assert g.number_of_edges("core-pd-02", "edge-mpp-01") == 1  # seen from both ends, one edge
    assert g.edges["core-pd-02", "edge-mpp-01", "BTM-FO-0022"]["ducts"] == ("DCT-EP-01",)
    undeclared = [k for _, _, k in g.edges("edge-mpp-01", keys=True) if k.startswith("lldp:")]
    assert len(undeclared) == 1 and "dist-nongsa" in undeclared[0]
    assert any("laptop-x" in w for w in g.graph["warnings"])

    diff = graph_diff(declared_graph(sample_inventory), g)
    assert diff.matched == ["BTM-FO-0022"]
    assert diff.unexpected == undeclared
    assert "BTM-FO-0001" in diff.missing


def test_restrict_keeps_only_named_devices(sample_graph):
    sub = restrict(sample_graph, ["core-pd-01", "core-pd-02", "edge-mpp-01"])
    assert set(sub) == {"core-pd-01", "core-pd-02", "edge-mpp-01"}
    assert sub.graph["core"] == ["core-pd-01", "core-pd-02"]
    assert sub.graph["pds"]["MPP"]["routers"] == ["edge-mpp-01"]
    assert all(pd["routers"] for pd in sub.graph["pds"].values())
