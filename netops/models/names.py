"""How names are compared across vendors and sources: one rule, used by every layer.

`Gi0/1` and `GigabitEthernet0/1` are one interface (NAPALM's canonical long form);
`Edge-01.batam.go.id` and `edge-01` are one host. And what a name may contain at all.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator


@lru_cache(maxsize=8192)
def canonical_interface(name: str) -> str:
    """NAPALM's canonical long form (`Gi0/1` -> `GigabitEthernet0/1`); unknown names unchanged."""
    # Imported here: napalm takes ~0.6 s to import, and most commands never compare interface names.
    from napalm.base.helpers import canonical_interface_name

    name = name.strip()
    return canonical_interface_name(name) if name else name


def short_host(name: str) -> str:
    """`Edge-01.Batam.go.id` -> `edge-01`: how LLDP system names are matched to inventory names."""
    return name.strip().split(".")[0].lower()


# What a name may contain where it ends up in a device config, a daemon's config file, a shell
# command or a path: checked once, when the file is read. Every renderer still quotes what it
# writes; these patterns make sure a newline, a quote or `../` never gets that far.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_LABEL = re.compile(rf"{_LABEL}")
_HOSTNAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_INTERFACE = re.compile(r"[A-Za-z0-9/._:-]{1,64}")
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,127}")
INTERFACE_CHARS = "letters, digits and / . _ : -"


def check_host_label(value: str) -> str:
    """One RFC 1123 label (`hv-pd-01`): what may become one path component or a libvirt name."""
    if not _HOST_LABEL.fullmatch(value):
        raise ValueError(f"{value!r} is not a host name label: 1-63 letters, digits or '-', "
                         "not starting or ending with '-' (RFC 1123)")
    return value


def check_hostname(value: str) -> str:
    """A host name of RFC 1123 labels separated by dots (`edge-setda-01`, `sw-01.batam.go.id`)."""
    if len(value) > 253 or not _HOSTNAME.fullmatch(value):
        raise ValueError(f"{value!r} is not a host name: labels of letters, digits and '-' separated by "
                         "dots, each 1-63 long, not starting or ending with '-' (RFC 1123)")
    return value


def check_interface(value: str) -> str:
    """An interface name as vendors write them (`GigabitEthernet0/0/1`, `sfp-sfpplus1`, `xe-0/0/0.100`)."""
    if not _INTERFACE.fullmatch(value):
        raise ValueError(f"{value!r} is not an interface name: 1-64 of {INTERFACE_CHARS}")
    return value


def check_file_name(value: str) -> str:
    """One file name, never a path: no `/`, no leading dot (so never `.` or `..`)."""
    if not _FILE_NAME.fullmatch(value):
        raise ValueError(f"{value!r} is not a plain file name: 1-128 letters, digits, '.', '_', '+' or '-', "
                         "starting with a letter or digit")
    return value


HostLabel = Annotated[str, AfterValidator(check_host_label)]
HostName = Annotated[str, AfterValidator(check_hostname)]
InterfaceName = Annotated[str, AfterValidator(check_interface)]
FileName = Annotated[str, AfterValidator(check_file_name)]
