"""The contract every VPS backend keeps, and the one place that picks a backend by name.

A backend makes a rendered DomainPlan real on a hypervisor host (libvirt) or only writes
it down (dryrun). `endpoint(host)` names what is really talked to: two hosts with the
same endpoint (e.g. NETOPS_LIBVIRT_URI pointing every host at one test driver) are one
place for reconciliation.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from netops.errors import ConfigError
from netops.models.vps import HypervisorHost
from netops.provision.render import DomainInfo, DomainPlan

BACKENDS = ("dryrun", "libvirt")


class Backend(Protocol):
    name: str

    def endpoint(self, host: HypervisorHost) -> str: ...

    def define(self, host: HypervisorHost, plan: DomainPlan) -> None:
        """Create or update the persistent domain (and its disk volume)."""

    def start(self, host: HypervisorHost, name: str) -> None: ...

    def stop(self, host: HypervisorHost, name: str) -> None: ...

    def undefine(self, host: HypervisorHost, name: str) -> None:
        """Stop if running, remove the domain and its disk volume; a missing domain is not an error."""

    def list_domains(self, host: HypervisorHost) -> list[DomainInfo]: ...

    def domain_info(self, host: HypervisorHost, name: str) -> DomainInfo | None: ...

    def close(self) -> None:
        """Release connections (libvirt's test driver resets when the last one closes)."""


def plans_dir(root: Path) -> Path:
    """Where the dry-run backend writes plans: NETOPS_VPS_PLANS, else <project>/var/vps-plans."""
    return Path(os.environ.get("NETOPS_VPS_PLANS") or root / "var" / "vps-plans")


def get_backend(name: str | None, root: Path) -> Backend:
    """`name` from --backend, else NETOPS_VPS_BACKEND, else dryrun (never touch a hypervisor by default)."""
    chosen = name or os.environ.get("NETOPS_VPS_BACKEND") or "dryrun"
    if chosen == "dryrun":
        from netops.provision.backends.dryrun import DryRunBackend
        return DryRunBackend(plans_dir(root))
    if chosen == "libvirt":
        from netops.provision.backends.libvirt_backend import LibvirtBackend
        return LibvirtBackend()
    raise ConfigError(f"unknown VPS backend {chosen!r} (known: {', '.join(BACKENDS)})")
