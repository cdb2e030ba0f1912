"""Whether a use case talks to the emulated lab instead of the city, decided here and said out loud.

The lab's drivers and credentials used to be swapped in by the inventory plugin whenever a lab state
file existed; now the caller chooses (`auto`: use the lab when one is up, `on`: require it, `off`:
never), the app builds Nornir and the collectors with that overlay, and every result that talked to
devices carries a `LabNotice` the interface prints ("talking to the lab ...").
"""
from __future__ import annotations

from enum import Enum

from pydantic import BaseModel

from netops.config import Config
from netops.errors import NotFoundError
from netops.lab.overlay import LabOverlay, active_overlay


class LabUse(str, Enum):
    auto = "auto"
    on = "on"
    off = "off"


class LabNotice(BaseModel):
    """Said whenever devices were asked through the lab overlay."""

    state_file: str
    devices: int

    @property
    def text(self) -> str:
        return f"talking to the lab: {self.devices} lab device(s) use the lab's drivers and credentials " \
               f"(state file {self.state_file})"


def lab_overlay(config: Config, use: LabUse = LabUse.auto) -> LabOverlay | None:
    """The overlay to apply, or None for the city's own drivers and secrets."""
    if use is LabUse.off:
        return None
    overlay = active_overlay(config)
    if overlay is None and use is LabUse.on:
        raise NotFoundError(f"no lab is up (state file {config.lab_state}): run `netops lab up` first")
    return overlay


def notice(overlay: LabOverlay | None) -> LabNotice | None:
    return None if overlay is None else LabNotice(state_file=overlay.state_file, devices=len(overlay.devices))


def lab_notice(config: Config) -> LabNotice | None:
    """What to say before a long-running use case (watch) that will talk to the lab when one is up."""
    return notice(lab_overlay(config))
