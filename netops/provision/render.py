"""What a VPS becomes on a hypervisor: libvirt domain XML plus cloud-init user-data and network-config.

The domain XML carries netops' own facts (register id, IP, pool, disk size, the cloud-init
documents) in a <metadata> element, so a domain read back from libvirt or from a dry-run
plan says which register entry it belongs to. Nothing secret is rendered: only public SSH
keys; the backup repository password reaches the VPS from the Dinas vault, not user-data.
"""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ruamel.yaml import YAML

from netops.models.vps import BackupPolicy, BackupTarget, IpPool, OsTemplate, PusatData, Vps
from netops.sources.safexml import XmlLimits, parse_xml

NETOPS_NS = "https://netops.batam.go.id/xmlns/vps/1"
ET.register_namespace("netops", NETOPS_NS)
BACKUP_AGENT = "/usr/local/sbin/netops-backup"


@dataclass(frozen=True)
class DomainPlan:
    """Everything a backend needs to make one VPS real."""

    name: str
    host: str
    vcpu: int
    memory_mib: int
    disk_gib: int
    storage_pool: str
    volume: str
    image: str
    domain_xml: str
    user_data: str
    network_config: str


@dataclass(frozen=True)
class DomainInfo:
    """A domain as a backend sees it; `vps_id` comes from netops metadata when present."""

    name: str
    vcpu: int
    memory_mib: int
    disk_gib: int | None
    mac: str | None
    ip: str | None
    vps_id: int | None
    running: bool


def bridge_for(vlan: int) -> str:
    return f"br-vlan{vlan}"


def _yaml(doc: object, header: str = "") -> str:
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(doc, out)
    return header + out.getvalue()


def user_data(vps: Vps, template: OsTemplate, pusat: PusatData, policy: BackupPolicy, target: BackupTarget) -> str:
    """cloud-config: hostname, the Dinas' admin keys, and the backup agent on the policy's schedule."""
    env = (f"NETOPS_VPS={vps.name}\nBACKUP_REPOSITORY={target.url}{vps.pd.lower()}/{vps.name}\n"
           f"KEEP_DAILY={policy.keep_daily}\nKEEP_WEEKLY={policy.keep_weekly}\nKEEP_MONTHLY={policy.keep_monthly}\n"
           "RESTIC_PASSWORD_FILE=/etc/netops/backup.pass\n")
    doc = {
        "hostname": vps.name,
        "fqdn": f"{vps.name}.{pusat.domain}",
        "manage_etc_hosts": True,
        "ssh_pwauth": False,
        "disable_root": True,
        "users": [{"name": template.default_user, "groups": ["sudo"], "shell": "/bin/bash",
                   "sudo": "ALL=(ALL) NOPASSWD:ALL", "lock_passwd": True,
                   "ssh_authorized_keys": list(pusat.admin_ssh_keys)}],
        "packages": ["restic", "qemu-guest-agent"],
        "write_files": [
            {"path": "/etc/netops/backup.env", "permissions": "0644", "content": env},
            {"path": "/etc/cron.d/netops-backup", "permissions": "0644",
             "content": f"{policy.schedule} root {BACKUP_AGENT} >> /var/log/netops-backup.jsonl 2>&1\n"},
        ],
        "runcmd": [["systemctl", "enable", "--now", "qemu-guest-agent"]],
    }
    return _yaml(doc, "#cloud-config\n")


def network_config(vps: Vps, pool: IpPool, pusat: PusatData) -> str:
    """Netplan v2: the static address from the pool, the pool's gateway, the Pusat Data resolvers."""
    eth: dict[str, object] = {
        "match": {"macaddress": vps.mac}, "set-name": "eth0",
        "addresses": [f"{vps.ip}/{pool.network.prefixlen}"],
        "routes": [{"to": "default", "via": str(pool.gateway)}],
    }
    if pusat.dns_servers:
        eth["nameservers"] = {"addresses": [str(a) for a in pusat.dns_servers], "search": [pusat.domain]}
    return _yaml({"version": 2, "ethernets": {"eth0": eth}})


def domain_xml(vps: Vps, template: OsTemplate, storage_pool: str, docs: tuple[str, str]) -> str:
    dom = ET.Element("domain", type="kvm")
    ET.SubElement(dom, "name").text = vps.name
    ET.SubElement(dom, "title").text = f"{vps.pd}: {vps.purpose}"
    meta = ET.SubElement(ET.SubElement(dom, "metadata"), f"{{{NETOPS_NS}}}vps", id=str(vps.id), pd=vps.pd)
    for tag, value in (("ip", str(vps.ip)), ("pool", vps.ip_pool), ("vlan", str(vps.vlan)),
                       ("disk_gib", str(vps.disk_gib)), ("os", template.name), ("user-data", docs[0]),
                       ("network-config", docs[1])):
        ET.SubElement(meta, f"{{{NETOPS_NS}}}{tag}").text = value
    ET.SubElement(dom, "memory", unit="MiB").text = str(vps.memory_mib)
    ET.SubElement(dom, "vcpu", placement="static").text = str(vps.vcpu)
    os_el = ET.SubElement(dom, "os")
    ET.SubElement(os_el, "type", arch="x86_64").text = "hvm"
    ET.SubElement(os_el, "boot", dev="hd")
    devices = ET.SubElement(dom, "devices")
    disk = ET.SubElement(devices, "disk", type="volume", device="disk")
    ET.SubElement(disk, "driver", name="qemu", type="qcow2")
    ET.SubElement(disk, "source", pool=storage_pool, volume=f"{vps.name}.qcow2")
    ET.SubElement(disk, "target", dev="vda", bus="virtio")
    nic = ET.SubElement(devices, "interface", type="bridge")
    ET.SubElement(nic, "mac", address=vps.mac)
    ET.SubElement(nic, "source", bridge=bridge_for(vps.vlan))
    ET.SubElement(nic, "model", type="virtio")
    ET.SubElement(devices, "channel", type="unix").append(ET.Element("target", type="virtio",
                                                                      name="org.qemu.guest_agent.0"))
    ET.indent(dom)
    return ET.tostring(dom, encoding="unicode")


def render_plan(vps: Vps, pusat: PusatData) -> DomainPlan:
    """The full plan for a registered VPS (its template, pool and policy must exist: checked at create)."""
    template = pusat.template(vps.os_template)
    pool = pusat.pool(vps.ip_pool)
    policy = pusat.backup_policy(vps.backup_policy)
    host = pusat.host(vps.host)
    if template is None or pool is None or policy is None or host is None:
        raise LookupError(f"{vps.name}: template, pool, backup policy or host no longer in pusat_data.yaml")
    target = next((t for t in pusat.backup_targets if t.name == policy.target), None)
    if target is None:
        raise LookupError(f"backup policy {policy.name}: unknown target {policy.target}")
    docs = (user_data(vps, template, pusat, policy, target), network_config(vps, pool, pusat))
    return DomainPlan(name=vps.name, host=vps.host, vcpu=vps.vcpu, memory_mib=vps.memory_mib, disk_gib=vps.disk_gib,
                      storage_pool=host.storage_pool, volume=f"{vps.name}.qcow2", image=template.image,
                      domain_xml=domain_xml(vps, template, host.storage_pool, docs), user_data=docs[0],
                      network_config=docs[1])


_MEM_KIB = {"kib": 1, "k": 1, "mib": 1024, "m": 1024, "gib": 1024 ** 2, "g": 1024 ** 2, "b": 1 / 1024,
            "bytes": 1 / 1024}


# A domain's description carries its cloud-init documents (a few KB); a hypervisor answering megabytes is broken.
LIBVIRT_XML_BYTES = 4 * 1024 * 1024
LIBVIRT_XML = XmlLimits(max_bytes=LIBVIRT_XML_BYTES, max_elements=100_000, kind="libvirt descriptions")


def parse_libvirt_xml(xml: str, what: str) -> ET.Element:
    """What libvirt describes (a domain, a storage pool), through the one safe-XML entry point."""
    return parse_xml(xml.encode("utf-8"), what, LIBVIRT_XML)


def read_domain_xml(xml: str, running: bool, disk_gib: int | None = None, what: str = "domain XML") -> DomainInfo:
    """Parse what a hypervisor reports back; `disk_gib` from the real volume beats metadata."""
    dom = parse_libvirt_xml(xml, what)
    mem = dom.find("memory")
    memory_kib = float(mem.text or 0) * _MEM_KIB[(mem.get("unit") or "KiB").lower()] if mem is not None else 0
    meta = dom.find(f"metadata/{{{NETOPS_NS}}}vps")
    mac = dom.find("devices/interface/mac")

    def meta_text(tag: str) -> str | None:
        el = meta.find(f"{{{NETOPS_NS}}}{tag}") if meta is not None else None
        return el.text if el is not None else None

    meta_disk = meta_text("disk_gib")
    return DomainInfo(name=dom.findtext("name") or "", vcpu=int(dom.findtext("vcpu") or 0),
                      memory_mib=int(memory_kib // 1024),
                      disk_gib=disk_gib if disk_gib is not None else (int(meta_disk) if meta_disk else None),
                      mac=mac.get("address") if mac is not None else None, ip=meta_text("ip"),
                      vps_id=int(vid) if meta is not None and (vid := meta.get("id")) else None, running=running)
