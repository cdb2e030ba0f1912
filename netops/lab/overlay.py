"""What differs from production while a lab is up: platform, credentials, port names.

Addresses are never translated (every lab device has exactly its inventory addresses);
only the driver and the credentials change. Nothing applies the overlay behind the caller's
back: the app decides (netops.app.lab_use: auto-detected or chosen, and said in the output)
and hands it to `build_nornir(..., lab=overlay)`, which applies `transform_host` as Nornir's
inventory transform function, and to the SNMP collector's credential lookup.

Port names need no translation either: the lab devices report declared names natively
(LLDP port ids, SNMP ifName/ifDescr, NAPALM driver). `interface_names` lists the Linux
names behind them for the few places that show raw Linux names (`ip link` in a shell).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nornir.core.inventory import Host

from netops.config import Config
from netops.lab.state import LabState, load_state
from netops.sources.secrets import Secrets


@dataclass(frozen=True)
class LabOverlay:
    state_file: str
    platforms: dict[str, str]
    secrets: Secrets
    interface_names: dict[str, dict[str, str]] = field(default_factory=dict)  # host -> linux -> declared

    def covers(self, hostname: str) -> bool:
        return hostname in self.platforms

    def platform(self, hostname: str) -> str:
        return self.platforms[hostname]

    def declared_name(self, hostname: str, linux_name: str) -> str:
        return self.interface_names.get(hostname, {}).get(linux_name, linux_name)

    @property
    def devices(self) -> list[str]:
        return list(self.platforms)


def overlay_of(state: LabState, state_file: str) -> LabOverlay:
    devices = state.plan.devices.values()
    return LabOverlay(
        state_file=state_file,
        platforms={d.hostname: d.platform for d in devices},
        secrets=state.secrets.as_secrets(),
        interface_names={d.hostname: {p.linux: p.declared for p in d.ports} for d in devices},
    )


def active_overlay(config: Config) -> LabOverlay | None:
    """The overlay of the lab recorded in `config.lab_state`, or None when no lab is up.

    A lab still being built (or left behind by a crashed `up`) is not up: None.
    """
    state = load_state(config.lab_state)
    if state is None or state.phase != "up":
        return None
    return overlay_of(state, str(config.lab_state))


def transform_host(host: Host, **options: Any) -> None:
    """Nornir inventory transform function (option `overlay`): a lab device takes the lab's driver and login."""
    overlay: LabOverlay = options["overlay"]
    if overlay.covers(host.name):
        host.platform = overlay.platform(host.name)
        host.username = overlay.secrets.username
        host.password = overlay.secrets.password.get_secret_value() if overlay.secrets.password else None
