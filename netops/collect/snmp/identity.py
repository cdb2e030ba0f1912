"""Who a device is (vendor, model, serial, software version) from whatever MIB it keeps that in.

Devices disagree on where their identity lives: Cisco, Arista, HPE/Aruba and Huawei fill ENTITY-MIB's
chassis row; Juniper keeps it in jnxBoxAnatomy, MikroTik in MIKROTIK-MIB, Fortinet in FORTINET-CORE-MIB;
RouterOS and ArubaOS-CX say their model only in a description. So each field is taken from the first
source that has it, in this order, and the source is named beside the value:

1. ENTITY-MIB, the first chassis row (entPhysicalModelName, entPhysicalSerialNum, entPhysicalSoftwareRev);
2. the vendor's own MIB (scalars GET only when sysObjectID names that vendor: `VENDOR_SCALARS`);
3. one tested pattern per vendor over sysDescr, then over the chassis row's entPhysicalDescr;
4. for the model only, the sysObjectID -> model table of the vendors' product MIBs.

A version found in ENTITY-MIB or the vendor MIB is cleaned by the same vendor pattern when it matches
(Huawei's `Version 5.170 V200R010C00SPC600` -> `V200R010C00SPC600`). Pure: raw values in, strings out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from netops.collect.snmp import oids as O
from netops.collect.snmp.ber import Oid

# enterprise -> vendor scalar OIDs (all `.0` instances) to GET, by what they hold
JUNIPER, MIKROTIK, FORTINET = 2636, 14988, 12356
VENDOR_SCALARS: dict[int, dict[str, Oid]] = {
    JUNIPER: {"model": O.oid("1.3.6.1.4.1.2636.3.1.2.0"),          # jnxBoxDescr
              "serial": O.oid("1.3.6.1.4.1.2636.3.1.3.0")},        # jnxBoxSerialNo
    MIKROTIK: {"serial": O.oid("1.3.6.1.4.1.14988.1.1.7.3.0"),     # mtxrSerialNumber
               "version": O.oid("1.3.6.1.4.1.14988.1.1.4.4.0"),    # mtxrLicVersion (RouterOS version)
               "model": O.oid("1.3.6.1.4.1.14988.1.1.7.8.0")},     # mtxrBoardName (RouterOS 6.44+)
    FORTINET: {"serial": O.oid("1.3.6.1.4.1.12356.100.1.1.1.0"),   # fnSysSerial
               "version": O.oid("1.3.6.1.4.1.12356.101.4.1.1.0")},  # fgSysVersion
}


@dataclass(frozen=True)
class VendorPatterns:
    """Regexes whose group 1 is the model / version in that vendor's description strings."""

    model: tuple[str, ...] = ()
    version: tuple[str, ...] = ()


PATTERNS: dict[int, VendorPatterns] = {
    9: VendorPatterns(version=(r"Version ([0-9][^\s,]*)",)),      # Cisco's sysDescr names the image, not the model
    JUNIPER: VendorPatterns(model=(r"^(?:Juniper\s+)?([A-Z]{2,}[0-9][\w-]*)", r"Juniper Networks, Inc\. (\S+)"),
                            version=(r"JUNOS ([0-9][^\s,\]]*)",)),
    MIKROTIK: VendorPatterns(model=(r"RouterOS \S+(?: \(\w+\))? on (\S+)", r"^RouterOS (\S+)$"),
                             version=(r"RouterOS ([0-9][^\s,]*)", r"^([0-9]+\.[0-9]+[^\s]*)$")),
    2011: VendorPatterns(model=(r"^(S\d{4}[\w-]*|AR\d+[\w-]*|CE\d+[\w-]*|NE\d+[\w-]*)\s*$", r"HUAWEI (\S+)"),
                         version=(r"(V\d{3}R\d{3}\w*)",)),
    30065: VendorPatterns(model=(r"running on an Arista Networks (\S+)",), version=(r"EOS version (\S+)",)),
    11: VendorPatterns(model=(r"^(?:HP|Aruba) (J[0-9]{4}[A-Z])\b", r"^(?:HP|Aruba) \S+ (\S+) Switch"),
                       version=(r"revision ([A-Z]{2}\.[0-9.]+)",)),
    47196: VendorPatterns(model=(r"^Aruba (\S+)", r"ArubaOS-CX .*? on (\S+)"),
                          version=(r"ArubaOS-CX (?:Version )?(\S+)", r"(?:^|\s)([A-Z]{2}\.\d{2}\.\d{2}\.\d{4})")),
    FORTINET: VendorPatterns(model=(r"^(Forti\w+-\w+)",), version=(r"v(\d+\.\d+\.\d+)",)),
}
_COMPILED = {e: (tuple(re.compile(p, re.MULTILINE) for p in v.model), tuple(re.compile(p, re.MULTILINE) for p in v.version))
             for e, v in PATTERNS.items()}

# sysObjectID -> model, from the vendors' product MIBs; the last resort when nothing names the model
MODEL_BY_SYS_OBJECT_ID: dict[Oid, str] = {
    O.oid("1.3.6.1.4.1.9.1.1208"): "cat29xxStack",
    O.oid("1.3.6.1.4.1.14988.1"): "RouterOS",
    O.oid("1.3.6.1.4.1.2636.1.1.1.4.82.5"): "QFX5100-48S-6Q",
}


@dataclass(frozen=True)
class Identity:
    vendor: str
    model: str
    serial: str
    version: str
    sources: dict[str, str]   # field -> where it came from: entity, vendor-mib, sysDescr, entity-descr, sysObjectID


def _first(patterns: tuple[re.Pattern[str], ...], *texts: str) -> str:
    for text in texts:
        for pattern in patterns:
            if text and (m := pattern.search(text)):
                return m.group(1).strip()
    return ""


def identify(enterprise: int | None, sys_object_id: object, sys_descr: str,
             chassis: dict[str, str], vendor_mib: dict[str, str]) -> Identity:
    """The identity of one device from its raw texts.

    `chassis`: the first chassis row of ENTITY-MIB as {"model", "serial", "version", "descr"};
    `vendor_mib`: what `VENDOR_SCALARS` returned, by the same keys.
    """
    vendor = O.VENDORS.get(enterprise, f"enterprise {enterprise}") if enterprise else ""
    model_res, version_res = _COMPILED.get(enterprise or 0, ((), ()))
    found: dict[str, str] = {}
    sources: dict[str, str] = {}

    def take(field: str, value: str, source: str) -> None:
        if value and field not in found:
            found[field], sources[field] = value, source

    for field in ("model", "serial", "version"):
        take(field, chassis.get(field, ""), "entity")
        take(field, vendor_mib.get(field, ""), "vendor-mib")
    if "model" in found and sources["model"] == "vendor-mib":     # jnxBoxDescr is a sentence
        found["model"] = _first(model_res, found["model"]) or found["model"]
    take("model", _first(model_res, sys_descr), "sysDescr")
    take("model", _first(model_res, chassis.get("descr", "")), "entity-descr")
    take("version", _first(version_res, sys_descr), "sysDescr")
    take("version", _first(version_res, chassis.get("descr", "")), "entity-descr")
    if isinstance(sys_object_id, tuple):
        take("model", MODEL_BY_SYS_OBJECT_ID.get(sys_object_id, ""), "sysObjectID")
    if found.get("version") and sources["version"] in ("entity", "vendor-mib"):
        found["version"] = _first(version_res, found["version"]) or found["version"]
    if not found.get("version"):    # an unknown vendor: the generic `Version x` of most sysDescrs
        take("version", _first((re.compile(r"[Vv]ersion ([0-9][^\s,]*)"),), sys_descr), "sysDescr")
    return Identity(vendor, found.get("model", ""), found.get("serial", ""), found.get("version", ""), sources)
