"""What a varbind holds, as plain Python: the types every SNMP module shares (no imports, so the
codec, the errors and the sessions can all use them without importing each other)."""
from __future__ import annotations

import enum
from typing import TypeAlias

Oid: TypeAlias = tuple[int, ...]


class Exc(enum.Enum):
    """SNMPv2 exception values: a varbind with no value."""

    NO_SUCH_OBJECT = 0x80
    NO_SUCH_INSTANCE = 0x81
    END_OF_MIB_VIEW = 0x82


Value: TypeAlias = "int | bytes | str | Oid | Exc | None"
VarBind: TypeAlias = "tuple[Oid, Value]"
