"""What every command needs, loaded once and only when asked for."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import click

from netops.app.store_admin import configured_store_url
from netops.config import Config, load_config
from netops.sources.inventory import Inventory, load_inventory
from netops.store.db import Store


@dataclass
class AppContext:
    config_path: str | None = None
    _cache: dict[str, object] = field(default_factory=dict)

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)

    @cached_property
    def inventory(self) -> Inventory:
        return load_inventory(self.config.inventory_dir, self.config.topology_dir)

    @cached_property
    def store(self) -> Store:
        return Store(configured_store_url(self.config))


pass_app = click.make_pass_decorator(AppContext, ensure=True)
