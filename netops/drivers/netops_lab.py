"""NAPALM driver for the lab's Linux routers (platform `netops_lab`).

Speaks to a lab namespace over SSH (netmiko, device_type linux) and reads JSON the
device already produces: `ip -j`, `lldpcli -f json0`. Every name it returns is the
declared one: a port's ifalias carries its declared name (netops/lab/README.md).
Facts are the device's declared identity (the same the lab's snmpd presents) and its
uptime since the lab booted it; a router's config is FRR's running config (vtysh),
with Linux port names shown as the declared ones.
Found by `napalm.get_network_driver("netops_lab")` through the `napalm_netops_lab` package.
"""
from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

from napalm.base import NetworkDriver, models
from napalm.base.exceptions import (
    CommandErrorException,
    CommitError,
    ConnectionException,
    MergeConfigException,
)
from napalm.base.helpers import mac
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

_INTERFACE_LINE = re.compile(r"^interface (\S+)$", re.MULTILINE)
_PING_SUMMARY = re.compile(r"(\d+) packets transmitted, (\d+) received")
_PING_RTT = re.compile(r"= ([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+) ms")
_PING_REPLY = re.compile(r"from ([\d.]+): icmp_seq=\d+ ttl=\d+ time=([\d.]+) ms")
_CAPABILITIES = {"Router": "router", "Bridge": "bridge", "Wlan": "wlan-access-point", "Station": "station",
                 "Repeater": "repeater", "Telephone": "telephone", "Docsis": "docsis-cable-device",
                 "Other": "other"}


def _first(items: list[dict[str, Any]] | None, key: str = "value", default: str = "") -> str:
    return str((items or [{}])[0].get(key, default))


class NetopsLabDriver(NetworkDriver):  # type: ignore[misc]  # napalm has no types: its base class is Any
    """A lab router: a Linux network namespace with snmpd, lldpd and sshd."""

    platform = "netops_lab"

    def __init__(self, hostname: str, username: str, password: str, timeout: int = 60,
                 optional_args: dict[str, object] | None = None) -> None:
        self.hostname = hostname
        self.username = username
        self.password = password
        self.timeout = timeout
        self.force_no_enable = True  # a Linux shell has no enable mode; netmiko would try sudo
        self.optional_args = dict(optional_args or {})
        self._netmiko_device = None
        self._candidate: list[str] = []
        self._committed: list[str] = []

    def open(self) -> None:
        args = {"allow_agent": False, "use_keys": False, **self.optional_args}
        try:
            self._netmiko_open("linux", netmiko_optional_args=args)
        except NetmikoAuthenticationException as exc:
            raise ConnectionException(f"{self.hostname}: authentication failed") from exc
        except (NetmikoTimeoutException, OSError) as exc:
            raise ConnectionException(f"{self.hostname}: cannot connect ({exc})") from exc

    def close(self) -> None:
        self._netmiko_close()

    def is_alive(self) -> models.AliveDict:
        device = self._netmiko_device
        return {"is_alive": bool(device is not None and device.remote_conn is not None and device.is_alive())}

    def _run(self, command: str) -> str:
        if self._netmiko_device is None:
            raise ConnectionException(f"{self.hostname}: not connected (call open() first)")
        return str(self._netmiko_device.send_command(command, read_timeout=self.timeout))

    def _json(self, command: str) -> Any:
        text = self._run(command)
        try:
            return json.loads(text)
        except ValueError as exc:
            raise CommandErrorException(f"{self.hostname}: {command!r} gave no JSON: {text[:120]!r}") from exc

    def _links(self) -> list[dict[str, Any]]:
        return list(self._json("ip -j link show"))

    @staticmethod
    def _name(link: dict[str, Any]) -> str:
        return str(link.get("ifalias") or link["ifname"])

    def _names(self) -> dict[str, str]:
        return {link["ifname"]: self._name(link) for link in self._links()}

    def get_facts(self) -> models.FactsDict:
        text = self._run('echo "H=$(hostname)"; echo "T=$(date +%s.%N)"; echo "I=$(cat "$NETOPS_LAB_IDENTITY")"')
        found = {line[:2]: line[2:].strip() for line in text.splitlines() if line[:2] in ("H=", "T=", "I=")}
        try:
            identity = json.loads(found["I="])
            uptime = max(0.0, float(found["T="]) - float(identity["booted_at"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandErrorException(f"{self.hostname}: unreadable identity {text[:160]!r}") from exc
        hostname = found.get("H=", "")
        return {"hostname": hostname, "fqdn": hostname, "vendor": str(identity.get("vendor", "")),
                "model": str(identity.get("model", "")), "os_version": str(identity.get("os_version", "")),
                "serial_number": str(identity.get("serial_number", "")), "uptime": round(uptime, 1),
                "interface_list": [self._name(link) for link in self._links()]}

    def get_interfaces(self) -> dict[str, models.InterfaceDict]:
        speeds = dict(line.split() for line in self._run(
            "for i in /sys/class/net/*; do echo \"${i##*/} $(cat $i/speed 2>/dev/null || echo -1)\"; done"
        ).splitlines() if len(line.split()) == 2)
        descriptions = self._port_descriptions()
        out: dict[str, models.InterfaceDict] = {}
        for link in self._links():
            flags = link.get("flags", [])
            state = link.get("operstate", "UNKNOWN")
            speed = speeds.get(link["ifname"], "-1")
            out[self._name(link)] = {
                "is_enabled": "UP" in flags,
                "is_up": state == "UP" or (state == "UNKNOWN" and "LOWER_UP" in flags),
                "description": descriptions.get(link["ifname"], ""),
                "last_flapped": -1.0,
                "mtu": int(link.get("mtu", 0)),
                "speed": float(speed) if speed.lstrip("-").isdigit() and int(speed) > 0 else -1.0,
                "mac_address": mac(link["address"]) if link.get("address") else "",
            }
        return out

    def _port_descriptions(self) -> dict[str, str]:
        """The declared description of each port, as the device announces it in LLDP."""
        doc = self._json("lldpcli -f json0 show interfaces")
        return {i["name"]: _first((i.get("port") or [{}])[0].get("descr"))
                for block in doc.get("lldp", []) for i in block.get("interface", [])}

    def get_interfaces_ip(self) -> dict[str, models.InterfacesIPDict]:
        names = self._names()  # `ip -j addr` has no ifalias
        out: dict[str, Any] = {}
        for link in self._json("ip -j addr show"):
            for addr in link.get("addr_info", []):
                family = {"inet": "ipv4", "inet6": "ipv6"}.get(addr.get("family"))
                if family:
                    entry = out.setdefault(names.get(link["ifname"], link["ifname"]), {})
                    entry.setdefault(family, {})[addr["local"]] = {"prefix_length": int(addr["prefixlen"])}
        return out

    def _neighbors(self) -> list[dict[str, Any]]:
        doc = self._json("lldpcli -f json0 show neighbors details")
        return [i for block in doc.get("lldp", []) for i in block.get("interface", [])]

    def get_lldp_neighbors(self) -> dict[str, list[models.LLDPNeighborDict]]:
        names = self._names()
        out: dict[str, list[models.LLDPNeighborDict]] = {}
        for n in self._neighbors():
            chassis, port = (n.get("chassis") or [{}])[0], (n.get("port") or [{}])[0]
            out.setdefault(names.get(n["name"], n["name"]), []).append(
                {"hostname": _first(chassis.get("name")), "port": _first(port.get("id"))})
        return out

    def get_lldp_neighbors_detail(self, interface: str = "") -> dict[str, list[models.LLDPNeighborDetailDict]]:
        names = self._names()
        out: dict[str, list[models.LLDPNeighborDetailDict]] = {}
        for n in self._neighbors():
            local = names.get(n["name"], n["name"])
            if interface and interface != local:
                continue
            chassis, port = (n.get("chassis") or [{}])[0], (n.get("port") or [{}])[0]
            capabilities = chassis.get("capability") or []
            out.setdefault(local, []).append({
                "parent_interface": "",
                "remote_port": _first(port.get("id")),
                "remote_port_description": _first(port.get("descr")),
                "remote_chassis_id": mac(_first(chassis.get("id"))) if _first(chassis.get("id"), "type") == "mac"
                else _first(chassis.get("id")),
                "remote_system_name": _first(chassis.get("name")),
                "remote_system_description": _first(chassis.get("descr")),
                "remote_system_capab": sorted(_CAPABILITIES.get(c["type"], c["type"].lower()) for c in capabilities),
                "remote_system_enable_capab": sorted(_CAPABILITIES.get(c["type"], c["type"].lower())
                                                     for c in capabilities if c.get("enabled")),
            })
        return out

    def get_config(self, retrieve: str = "all", full: bool = False, sanitized: bool = False,
                   format: str = "text") -> models.ConfigDict:
        """The device's running config; lab devices have no separate startup or candidate.

        A router answers with FRR's `show running-config`; its Linux port names (`interface eth3`)
        are shown as the declared ones, as everywhere else in this driver.
        """
        running = ""
        if retrieve in ("all", "running", "startup"):
            running = self._run('if [ -n "$NETOPS_FRR_VTY" ]; then vtysh --vty_socket "$NETOPS_FRR_VTY" '
                                '-c "show running-config"; else cat "$NETOPS_LAB_CONFIG"; fi')
            names = self._names()
            running = _INTERFACE_LINE.sub(lambda m: f"interface {names.get(m.group(1), m.group(1))}", running)
        return {"running": running if retrieve in ("all", "running") else "",
                "startup": running if retrieve in ("all", "startup") else "", "candidate": ""}

    # Config changes on a router: a merge candidate of FRR lines, compared line by line with the running
    # config, committed through vtysh in one `configure terminal`, undone with `no <line>`.
    def load_merge_candidate(self, filename: str | None = None, config: str | None = None) -> None:
        text = Path(filename).read_text(encoding="utf-8") if filename else (config or "")
        lines = [line.rstrip() for line in text.splitlines() if line.strip() and not line.strip().startswith("!")]
        if any(not re.fullmatch(r"[\x20-\x7e]+", line) for line in lines):
            raise MergeConfigException("config lines must be printable ASCII, one command per line")
        self._candidate = lines

    def compare_config(self) -> str:
        """`+line` for every candidate line the running config does not have yet ('' when none)."""
        running = {line.strip() for line in self.get_config("running")["running"].splitlines()}
        return "\n".join(f"+{line}" for line in self._candidate if line.strip() not in running)

    def _vtysh(self, lines: list[str]) -> str:
        args = " ".join(f"-c {shlex.quote(line)}" for line in ["configure terminal", *lines])
        out = self._run(f'if [ -z "$NETOPS_FRR_VTY" ]; then echo "NETOPS: not a router"; exit 1; fi; '
                        f'vtysh --vty_socket "$NETOPS_FRR_VTY" {args} 2>&1; echo "NETOPS-EXIT $?"')
        # the lab's SSH user may not read /etc/frr/vtysh.conf (nor use PAM): vtysh says so and carries on
        status = re.search(r"NETOPS-EXIT (\d+)", out)
        lines = [line for line in re.sub(r"NETOPS-EXIT \d+", "", out).splitlines()
                 if line.strip() and "vtysh.conf" not in line and "Authentication failure" not in line]
        refusals = [line for line in lines if line.lstrip().startswith("%")]
        if status is None or status.group(1) != "0" or refusals:
            raise CommitError(f"{self.hostname}: vtysh refused the change: {(refusals or lines or [out.strip()])[-1][:200]}")
        return out

    def commit_config(self, message: str = "", revert_in: int | None = None) -> None:
        added = [line[1:] for line in self.compare_config().splitlines() if line.startswith("+")]
        self._committed, self._candidate = added, []    # set first: a half-applied commit is rolled back too
        if added:
            self._vtysh(added)

    def discard_config(self) -> None:
        self._candidate = []

    def rollback(self) -> None:
        """Undo the last commit line by line (a line that never took effect has nothing to undo)."""
        for line in reversed(self._committed):
            try:
                self._vtysh([f"no {line.strip()}"])
            except CommitError:
                continue
        self._committed = []

    def ping(self, destination: str, source: str = "", ttl: int = 255, timeout: int = 2, size: int = 100,
             count: int = 5, vrf: str = "", source_interface: str = "") -> models.PingResultDict:
        if not re.fullmatch(r"[A-Za-z0-9.:-]+", destination) or (source and not re.fullmatch(r"[\d.]+", source)):
            return {"error": f"invalid destination or source: {destination!r} {source!r}"}
        cmd = f"ping -n -c {int(count)} -W {int(timeout)} -s {int(size)} -t {int(ttl)}"
        cmd += f" -I {source}" if source else ""
        text = self._run(f"{cmd} {destination}")
        summary = _PING_SUMMARY.search(text)
        if summary is None:
            return {"error": text.strip().splitlines()[-1] if text.strip() else "ping failed"}
        sent, received = int(summary.group(1)), int(summary.group(2))
        rtt_match = _PING_RTT.search(text)
        rtt = [float(v) for v in rtt_match.groups()] if rtt_match else [0.0] * 4
        return {"success": {
            "probes_sent": sent, "packet_loss": sent - received,
            "rtt_min": rtt[0], "rtt_avg": rtt[1], "rtt_max": rtt[2], "rtt_stddev": rtt[3],
            "results": [{"ip_address": ip, "rtt": float(t)} for ip, t in _PING_REPLY.findall(text)],
        }}
