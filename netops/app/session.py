"""What every use case needs (config, inventory, store), loaded once per command and only when asked for.

Interfaces hold one `Session` and hand it to app functions; they never build a store, a Nornir object,
a collector or a graph engine themselves. A test builds one from a config path as the CLI does.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from netops.app.store_admin import configured_store_url
from netops.config import Config, load_config
from netops.sources.inventory import Inventory, load_inventory
from netops.store.db import Store


@dataclass
class Session:
    config_path: str | None = None

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)

    @cached_property
    def inventory(self) -> Inventory:
        return load_inventory(self.config.inventory_dir, self.config.topology_dir)

    @cached_property
    def store(self) -> Store:
        return Store(configured_store_url(self.config))
