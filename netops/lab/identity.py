"""What a lab device says it is: the vendor's sysDescr, sysObjectID and ENTITY-MIB chassis row.

Formats follow real recordings (../shared/data/librenms_snmprec/): Cisco IOS(-XE) and Huawei
VRP sysDescr, Juniper's "Juniper Networks, Inc. <model> ..., kernel JUNOS <version>",
RouterOS v7's "RouterOS <model>" with the version in the chassis row. sysObjectID is the
vendor's enterprise and product OID where the product is known, the enterprise's product
branch otherwise. The same facts go to the NAPALM driver (identity.json), so SNMP and SSH agree.
A real sysDescr spans lines; snmpd.conf holds one line, so lines are joined with a space.
"""
from __future__ import annotations

from dataclasses import dataclass

from netops.lab.plan import DevicePlan

ENTERPRISE = {"Cisco": 9, "Juniper": 2636, "MikroTik": 14988, "Huawei": 2011}
# product leaves (CISCO-PRODUCTS-MIB, JUNIPER-CHASSIS-DEFINES-MIB); unknown models get the branch alone
PRODUCT_OID = {
    "ISR4331": "1.3.6.1.4.1.9.1.2068", "MX480": "1.3.6.1.4.1.2636.1.1.1.2.25",
}
PRODUCT_BRANCH = {"Cisco": "1.3.6.1.4.1.9.1", "Juniper": "1.3.6.1.4.1.2636.1.1.1.2",
                  "MikroTik": "1.3.6.1.4.1.14988.1", "Huawei": "1.3.6.1.4.1.2011.2"}
NET_SNMP_LINUX = "1.3.6.1.4.1.8072.3.2.10"


@dataclass(frozen=True)
class Identity:
    vendor: str
    model: str
    serial: str
    os_version: str
    sys_descr: str
    sys_object_id: str
    chassis_descr: str
    chassis_name: str

    def as_facts(self) -> dict[str, str]:
        return {"vendor": self.vendor, "model": self.model, "serial_number": self.serial,
                "os_version": self.os_version}


def _cisco(model: str, version: str) -> str:
    image = {"C9200L-24P-4G": "Catalyst L3 Switch Software (CAT9K_LITE_IOSXE)",
             "ASR-920-24SZ-M": "ASR920 Software (PPC_LINUX_IOSD-UNIVERSALK9_NPE-M)"}.get(
        model, "ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M)" if model.startswith("ISR")
        else "Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M)")
    return (f"Cisco IOS Software [Cupertino], {image}, Version {version}, RELEASE SOFTWARE (fc3) "
            "Technical Support: http://www.cisco.com/techsupport Copyright (c) 1986-2023 by Cisco Systems, Inc. "
            "Compiled Thu 19-Oct-23 10:18 by mcpre")


def identity(dev: DevicePlan) -> Identity:
    vendor, model, version = dev.vendor, dev.model, dev.os_version
    if vendor == "Cisco":
        descr = _cisco(model, version)
    elif vendor == "Juniper":
        descr = (f"Juniper Networks, Inc. {model.lower()} internet router, kernel JUNOS {version}, "
                 "Build date: 2023-09-28 08:57:37 UTC Copyright (c) 1996-2023 Juniper Networks, Inc.")
    elif vendor == "Huawei":
        descr = (f"Huawei Versatile Routing Platform Software VRP (R) software, Version 5.170 ({model} {version}) "
                 "Copyright (C) 2007-2023 Huawei Technologies Co., Ltd.")
    elif vendor == "MikroTik":
        descr = f"RouterOS {model}"
    else:
        descr = f"Linux {dev.hostname} netops lab {dev.role}"
    oid = PRODUCT_OID.get(model) or PRODUCT_BRANCH.get(vendor, NET_SNMP_LINUX)
    return Identity(vendor=vendor, model=model, serial=dev.serial, os_version=version, sys_descr=descr,
                    sys_object_id=oid, chassis_descr=f"{vendor} {model} chassis".strip(),
                    chassis_name="Chassis" if vendor != "Cisco" else model)
