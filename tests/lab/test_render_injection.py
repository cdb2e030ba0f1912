"""Issue 10 defect 4: whatever a name holds, no lab renderer turns it into a directive.

A device or interface named with a newline and `extend pwn /usr/bin/touch X` must stay
one value on one line in snmpd.conf, lldpd's config, FRR's config, sshd_config and the
running config; the plan refuses such a hostname outright (it becomes a namespace name).
No root needed: only rendering.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from netops.config import load_config
from netops.errors import NetopsError
from netops.lab.daemons import lldpd_conf, running_conf, snmpd_conf, sshd_conf
from netops.lab.frr import frr_conf
from netops.lab.plan import DevicePlan, PortPlan, build_plan
from netops.lab.state import LabSecrets, LabState
from netops.sources.inventory import load_inventory

REPO = Path(__file__).resolve().parents[2]
PAYLOAD = "\nextend pwn /usr/bin/touch /tmp/netops-pwned\n"
HOSTILE = [f"edge{PAYLOAD}", f'edge"{PAYLOAD}"', f"edge\r{PAYLOAD}", f"edge\\{PAYLOAD}", f"edge\u2028{PAYLOAD}"]


def _device(name: str) -> DevicePlan:
    port = PortPlan(declared=f"ether1{name}", linux="eth1", ifindex=11, ipv4="198.18.0.1/31",
                    description=f"uplink{name}", ospf_cost=10)
    lan = PortPlan(declared=f"bridge{name}", linux="eth2", ifindex=12, ipv4="198.18.16.1/26", description=name,
                   kind="bridge")
    member = PortPlan(declared=f"ether2{name}", linux="eth3", ifindex=13, description=name, bridge="eth2")
    return DevicePlan(hostname=name, namespace="netops-x", mgmt_ip="198.19.0.50/32", mgmt_veth="nlm1",
                      loopback="198.18.255.1/32", role="pd-edge", pd=name, platform="netops_lab",
                      ports=(port, lan, member), vendor=name, model=name, serial=name, os_version=name)


def _rendered(name: str) -> dict[str, str]:
    dev = _device(name)
    state = LabState(run_dir="/run/netops/labs/test", lab_uid=62000, secrets=LabSecrets.generate(), phase="up",
                     plan=build_plan(load_inventory(*_dirs()), ["core-pd-01"]))
    folder = Path("/run/netops/labs/test/x")
    return {"snmpd.conf": snmpd_conf(state, dev, folder), "lldpd.conf": lldpd_conf(dev),
            "frr.conf": frr_conf(dev), "sshd_config": sshd_conf(state, dev, folder), "running.conf": running_conf(dev)}


def _dirs() -> tuple[Path, Path]:
    config = load_config(REPO / "netops.yaml")
    return config.inventory_dir, config.topology_dir


@pytest.mark.parametrize("name", HOSTILE, ids=["newline", "quote", "carriage-return", "backslash", "line-separator"])
def test_no_renderer_lets_a_name_become_a_directive(name: str) -> None:
    for file, text in _rendered(name).items():
        lines = text.splitlines()
        assert not any(line.strip().startswith("extend") for line in lines), (file, text)
        assert not any(c in text for c in "\r\u2028"), file
        # the payload survives only inside the line of the value it was part of
        assert all("/usr/bin/touch" not in line or not line.lstrip().startswith(("extend", "pwn")) for line in lines)


def test_a_clean_name_renders_unchanged() -> None:
    files = _rendered("edge-disdukcapil-01")
    assert "sysName edge-disdukcapil-01" in files["snmpd.conf"].splitlines()
    assert 'configure system hostname "edge-disdukcapil-01"' in files["lldpd.conf"].splitlines()
    assert "hostname edge-disdukcapil-01" in files["frr.conf"].splitlines()


def test_the_plan_refuses_a_hostname_unfit_for_a_namespace() -> None:
    inv = load_inventory(*_dirs())
    device = inv.devices["core-pd-01"]
    inv.devices[f"core{PAYLOAD}"] = device.model_copy(update={"hostname": f"core{PAYLOAD}"})
    with pytest.raises(NetopsError, match="name not usable in the lab"):
        build_plan(inv, [f"core{PAYLOAD}"])
