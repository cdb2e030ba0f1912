"""`NetopsInventory`: Nornir's SimpleInventory, validated by netops and given credentials.

Registered as a Nornir inventory plugin (entry point `NetopsInventory`), so
`InitNornir(inventory={"plugin": "NetopsInventory"})` loads the same files as stock
SimpleInventory, refuses them when netops' cross-checks fail, and fills username/password
from the environment or the secrets file (never from the files themselves). It never looks
at a running lab: the lab's platforms and credentials are a transform the caller chooses
(`build_nornir(..., lab=overlay)`, netops.lab.overlay.transform_host).
"""
from __future__ import annotations

from typing import Any

from nornir.core.inventory import Inventory as NornirInventory
from nornir.plugins.inventory.simple import SimpleInventory

from netops.config import Config, load_config
from netops.sources.inventory import Inventory, load_inventory
from netops.sources.secrets import load_secrets


class NetopsInventory:
    """`checked`: an Inventory the caller already loaded from the same files, so they are not checked twice."""

    def __init__(self, config_file: str | None = None, config: Config | None = None,
                 checked: Inventory | None = None, **_: Any):
        self.config = config or load_config(config_file)
        self.checked = checked

    def load(self) -> NornirInventory:
        cfg = self.config
        if self.checked is None:
            load_inventory(cfg.inventory_dir, cfg.topology_dir)  # raises InputError with file:line:field
        inv = SimpleInventory(
            host_file=str(cfg.inventory_dir / "hosts.yaml"),
            group_file=str(cfg.inventory_dir / "groups.yaml"),
            defaults_file=str(cfg.inventory_dir / "defaults.yaml"),
        ).load()
        fleet, per_host = load_secrets(cfg.secrets_file, cfg.root)
        for name, host in inv.hosts.items():
            secrets = per_host.get(name, fleet)
            host.username = secrets.username
            host.password = secrets.password.get_secret_value() if secrets.password else None
        return inv

