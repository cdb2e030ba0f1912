"""pusat_data.yaml cross-checks: each problem is one issue with file:line and field."""
from __future__ import annotations

from pathlib import Path

import pytest

from netops.sources.inventory import check_inventory

CASES = {
    "quota-for-unknown-pd": (("quotas:\n  - {pd: DISKOMINFO, vcpu: 1, memory_mib: 1, disk_gib: 1, vps: 1}\n"
                             "  - {pd: GHOST, vcpu: 1, memory_mib: 1, disk_gib: 1, vps: 1}\n"),
                             3, "quotas[1].pd", "unknown PD 'GHOST'"),
    "pool-for-unknown-pd": (("ip_pools:\n  - {name: p, network: 10.0.0.0/24, gateway: 10.0.0.1, vlan: 9, "
                            "first: 10.0.0.2, last: 10.0.0.9, pd: GHOST}\n"), 2, "ip_pools[0].pd", "unknown PD"),
    "overlapping-pools": (("ip_pools:\n  - {name: a, network: 10.0.0.0/24, gateway: 10.0.0.1, vlan: 9, "
                          "first: 10.0.0.2, last: 10.0.0.99}\n  - {name: b, network: 10.0.0.0/24, "
                          "gateway: 10.0.0.1, vlan: 9, first: 10.0.0.50, last: 10.0.0.200}\n"),
                          3, "ip_pools[1].first", "pool b (10.0.0.50-10.0.0.200) overlaps a"),
    "policy-with-unknown-target": (("backup_policies:\n  - {name: d, schedule: '0 1 * * *', max_age_hours: 26, "
                                   "target: nowhere}\n"), 2, "backup_policies[0].target", "unknown backup target"),
    "host-on-unknown-storage-pool": (("storage_pools: [{name: images, path: /x}]\nhosts:\n  - {name: h, site: "
                                     "pusat-data, vcpu: 1, memory_mib: 1, disk_gib: 1, libvirt_uri: 'test:///default', "
                                     "storage_pool: other}\n"), 3, "hosts[0].storage_pool", "unknown storage pool"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_cross_check(case: str, project: Path) -> None:
    text, line, field, message = CASES[case]
    (project / "inventory" / "pusat_data.yaml").write_text(text)
    _, issues = check_inventory(project / "inventory", project / "topology")
    assert len(issues) == 1, issues
    assert (issues[0].line, issues[0].field) == (line, field) and message in issues[0].message
    assert issues[0].file.endswith("pusat_data.yaml")


def test_the_vps_fixture_is_clean(project: Path) -> None:
    assert check_inventory(project / "inventory", project / "topology")[1] == []
