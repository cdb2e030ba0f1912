"""Text that goes into a daemon's config file stays one value on one line, whatever validation said.

Every lab renderer (snmpd.conf, lldpd's config, FRR, sshd_config, the running config)
passes names and descriptions through these: a name holding a newline and
`extend pwn /usr/bin/touch X` must never become a directive of a daemon running as root.
"""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: object) -> str:
    """Control characters (newline, CR, escape...) shown as '?': the value can never end a line."""
    return _CONTROL.sub("?", str(text))


def quoted(text: object) -> str:
    """A double-quoted token for snmpd/lldpcli: backslash and quote escaped, on one line."""
    return '"' + one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'
