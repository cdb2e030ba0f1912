"""Vendor identity rules on description strings of vendors that have no recording here.

The recordings (test_snmp_recordings) check ENTITY-MIB and the Juniper/MikroTik MIBs end to end;
these check the order of sources and the one pattern per vendor on the public formats.
"""
from __future__ import annotations

import pytest

from netops.collect.snmp.identity import identify
from netops.collect.snmp.oids import oid

CASES = [
    # enterprise, sysDescr, chassis row, vendor MIB, expected (model, version), sources
    (47196, "Aruba JL665A 6300F 48G CL4 PoE 4SFP56 Swch FL.10.04.0030", {}, {},
     ("JL665A", "FL.10.04.0030"), {"model": "sysDescr", "version": "sysDescr"}),
    (14988, "RouterOS RB4011iGS+", {}, {"version": "7.12.1", "serial": "D4F00C1A2B3C"},
     ("RB4011iGS+", "7.12.1"), {"model": "sysDescr", "version": "vendor-mib", "serial": "vendor-mib"}),
    (12356, "FortiGate-100F", {}, {"serial": "FG100FTK20001234", "version": "v7.0.12,build0523,230613 (GA.M)"},
     ("FortiGate-100F", "7.0.12"), {"model": "sysDescr", "version": "vendor-mib", "serial": "vendor-mib"}),
    (2011, "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 (CE6881 V200R005C20SPC800)",
     {"model": "", "descr": "HUAWEI CE6881-48S6CQ", "version": "", "serial": "2102351"}, {},
     ("CE6881-48S6CQ", "V200R005C20SPC800"), {"model": "entity-descr", "version": "sysDescr", "serial": "entity"}),
    (9, "Cisco IOS Software [Bengaluru], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.6.5, RELEASE",
     {"model": "ISR4331/K9", "serial": "FDO21520XYZ", "version": "", "descr": "Cisco ISR4331 Chassis"}, {},
     ("ISR4331/K9", "17.6.5"), {"model": "entity", "version": "sysDescr", "serial": "entity"}),
]


@pytest.mark.parametrize("enterprise, descr, chassis, vendor_mib, expected, sources", CASES,
                         ids=lambda v: str(v) if isinstance(v, int) else None)
def test_each_vendor_pattern(enterprise, descr, chassis, vendor_mib, expected, sources):
    who = identify(enterprise, None, descr, chassis, vendor_mib)
    assert (who.model, who.version) == expected
    assert {k: who.sources[k] for k in sources} == sources


def test_entity_wins_over_vendor_mib_and_descr():
    who = identify(2636, None, "Juniper Networks, Inc. mx204 internet router, kernel JUNOS 21.4R3-S4.9",
                   {"model": "MX204", "serial": "", "version": ""}, {"model": "Juniper MX204 Router", "serial": "BD123"})
    assert (who.model, who.serial, who.version) == ("MX204", "BD123", "21.4R3-S4.9")
    assert who.sources == {"model": "entity", "serial": "vendor-mib", "version": "sysDescr"}


def test_sys_object_id_table_is_the_last_resort():
    assert identify(9, oid("1.3.6.1.4.1.9.1.1208"), "Cisco IOS Software, Version 15.0(2)", {}, {}).model == "cat29xxStack"
    assert identify(9, oid("1.3.6.1.4.1.9.1.1"), "", {}, {}).model == ""


def test_unknown_vendor_keeps_the_generic_version():
    who = identify(99999, None, "Acme OS Version 3.2.1 build 7", {}, {})
    assert (who.vendor, who.model, who.version) == ("enterprise 99999", "", "3.2.1")
