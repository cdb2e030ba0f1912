"""The dry-run backend: writes each plan to a folder per host and domain, touches no hypervisor.

Layout: <plans>/<host>/<domain>/{domain.xml, user-data, network-config, state}. The folder
is the "hypervisor" for reconcile, so drift can be shown (and tested) without libvirt. Host and
domain names are path components: every folder is resolved and checked to stay inside the plans
folder before anything is written or deleted; plans are 0640 (they hold PD data).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from netops.files import FOLDER_MODE, inside, write_private
from netops.models.vps import HypervisorHost
from netops.provision.errors import BackendError
from netops.provision.render import DomainInfo, DomainPlan, read_domain_xml


class DryRunBackend:
    name = "dryrun"

    def __init__(self, root: Path):
        self.root = root

    def endpoint(self, host: HypervisorHost) -> str:
        return str(self.root / host.name)

    def close(self) -> None:
        """Nothing held open."""

    def _dir(self, host: HypervisorHost, name: str) -> Path:
        return inside(self.root, host.name, name)

    def define(self, host: HypervisorHost, plan: DomainPlan) -> None:
        folder = self._dir(host, plan.name)
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
            for fname, content in (("domain.xml", plan.domain_xml), ("user-data", plan.user_data),
                                   ("network-config", plan.network_config)):
                write_private(folder / fname, content)
            if not (folder / "state").exists():
                write_private(folder / "state", "shut off\n")
        except OSError as exc:
            raise BackendError(f"dry-run plan {folder}: {exc.strerror}") from exc

    def _set_state(self, host: HypervisorHost, name: str, state: str) -> None:
        folder = self._dir(host, name)
        if not (folder / "domain.xml").exists():
            raise BackendError(f"{host.name}: no domain {name} in dry-run plans ({folder})")
        write_private(folder / "state", state + "\n")

    def start(self, host: HypervisorHost, name: str) -> None:
        self._set_state(host, name, "running")

    def stop(self, host: HypervisorHost, name: str) -> None:
        self._set_state(host, name, "shut off")

    def undefine(self, host: HypervisorHost, name: str) -> None:
        shutil.rmtree(self._dir(host, name), ignore_errors=True)

    def domain_info(self, host: HypervisorHost, name: str) -> DomainInfo | None:
        folder = self._dir(host, name)
        try:
            xml = (folder / "domain.xml").read_text(encoding="utf-8")
            state = (folder / "state").read_text().strip()
        except FileNotFoundError:
            return None
        return read_domain_xml(xml, running=state == "running")

    def list_domains(self, host: HypervisorHost) -> list[DomainInfo]:
        folder = inside(self.root, host.name)
        if not folder.is_dir():
            return []
        found = (self.domain_info(host, d.name) for d in sorted(folder.iterdir()) if d.is_dir())
        return [info for info in found if info is not None]
