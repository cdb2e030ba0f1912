"""The libvirt backend against libvirt's built-in test driver, in this one process.

Why in-process: test:///default keeps its domains only while a connection is open, and a
second process (or a libvirtd) starts again from the default state. The backend keeps one
connection per URI for its life, so create, decommission and reconcile all see one hypervisor.
Multi-process tests (concurrency, CLI) use the dry-run backend instead.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import defusedxml.ElementTree as SafeET
import libvirt
import pytest
from vps_helpers import FakeClock, make_service

from netops.provision.backends.libvirt_backend import LibvirtBackend
from netops.provision.errors import BackendError
from netops.provision.reconcile import compare
from netops.provision.render import NETOPS_NS
from netops.provision.service import VpsRequest, VpsService

TEST_URI = "test:///default"
ROGUE = """<domain type='test'><name>shadow-it-server</name><memory unit='MiB'>1024</memory><vcpu>1</vcpu>
<os><type>hvm</type></os></domain>"""


@pytest.fixture
def lsvc(project: Path, scratch_store: str, clock: FakeClock) -> Iterator[VpsService]:
    backend = LibvirtBackend(TEST_URI)
    yield make_service(project, scratch_store, backend, clock)
    backend.close()  # the test driver starts afresh for the next test


def _request(**kw: object) -> VpsRequest:
    base = {"pd": "BAPENDA", "purpose": "pajak web", "vcpu": 2, "memory_mib": 4096, "disk_gib": 20,
            "os_template": "debian-12"}
    return VpsRequest(**{**base, **kw})  # type: ignore[arg-type]


def _conn(svc: VpsService) -> libvirt.virConnect:
    return svc.backend._conn(svc.pusat.hosts[0])  # type: ignore[attr-defined]


def test_create_defines_and_starts_the_registered_domain(lsvc: VpsService) -> None:
    v = lsvc.create(_request()).vps
    dom = _conn(lsvc).lookupByName(v.name)
    assert dom.isActive()
    xml = SafeET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    assert xml.findtext("name") == v.name
    assert int(xml.findtext("vcpu")) == v.vcpu == 2
    assert int(xml.findtext("memory")) == v.memory_mib * 1024  # libvirt reports KiB
    assert xml.find("devices/interface/mac").get("address") == v.mac
    assert xml.findtext(f"metadata/{{{NETOPS_NS}}}vps/{{{NETOPS_NS}}}ip") == str(v.ip)
    source = xml.find("devices/disk/source")
    vol = _conn(lsvc).storagePoolLookupByName(source.get("pool")).storageVolLookupByName(source.get("volume"))
    assert vol.info()[1] == v.disk_gib * 1024 ** 3
    assert "ssh-ed25519" in xml.findtext(f"metadata/{{{NETOPS_NS}}}vps/{{{NETOPS_NS}}}user-data")


def test_decommission_removes_domain_and_volume(lsvc: VpsService) -> None:
    v = lsvc.create(_request()).vps
    lsvc.decommission(v.name)
    names = [d.name() for d in _conn(lsvc).listAllDomains()]
    assert v.name not in names
    pool = _conn(lsvc).storagePoolLookupByName("default-pool")
    assert f"{v.name}.qcow2" not in pool.listVolumes()


def test_stop_start_reach_the_domain(lsvc: VpsService) -> None:
    v = lsvc.create(_request()).vps
    lsvc.stop(v.name)
    assert not _conn(lsvc).lookupByName(v.name).isActive()
    lsvc.start(v.name)
    assert _conn(lsvc).lookupByName(v.name).isActive()


def test_reconcile_finds_rogue_missing_and_resized(lsvc: VpsService) -> None:
    kept = lsvc.create(_request()).vps
    lost = lsvc.create(_request(purpose="arsip")).vps
    changed = lsvc.create(_request(purpose="api")).vps
    conn = _conn(lsvc)
    conn.defineXML(ROGUE)  # behind netops' back
    gone = conn.lookupByName(lost.name)
    gone.destroy()
    gone.undefine()
    dom = conn.lookupByName(changed.name)
    conn.defineXML(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE).replace(">2</vcpu>", ">6</vcpu>"))
    drift = {(d.kind, d.name): d for d in compare(lsvc.list(), lsvc.pusat.hosts, lsvc.backend)}
    assert ("unregistered-domain", "shadow-it-server") in drift
    assert ("missing-domain", lost.name) in drift
    assert drift[("size-differs", changed.name)].detail == "vCPU register 2 vs domain 6"
    assert not any(name == kept.name for _, name in drift)


def test_unreachable_hypervisor_is_a_clear_error(project: Path, scratch_store: str) -> None:
    svc = make_service(project, scratch_store, LibvirtBackend("test:///nonexistent/node.xml"))
    with pytest.raises(BackendError, match=re.escape("cannot connect to test:///nonexistent/node.xml")):
        svc.create(_request())
    assert svc.list()[0].state.value == "requested"  # registered; the same create applies it later
