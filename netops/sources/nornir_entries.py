"""What a Nornir SimpleInventory entry (a host, a group, the defaults) may hold, checked before use.

Stock Nornir would take a string where a mapping belongs, a port in words or a password in
hosts.yaml and fail later, or worse, keep the password. Here each becomes an Issue at its line:
unknown keys, credentials (they live in the environment or the secrets file, never in these
files), ports outside 1-65535, `data`/`connection_options` that are not mappings, `groups` that
is not a list of names.
"""
from __future__ import annotations

from typing import Any

from netops.errors import Issue
from netops.sources.yamlfile import YamlDoc, field_path

# Nornir's SimpleInventory keys, per kind of entry; credentials are refused (see CREDENTIAL_KEYS).
ENTRY_KEYS = {
    "host": ("hostname", "port", "platform", "groups", "data", "connection_options"),
    "group": ("hostname", "port", "platform", "groups", "data", "connection_options"),
    "defaults": ("hostname", "port", "platform", "data", "connection_options"),
}
CREDENTIAL_KEYS = frozenset({"username", "password", "secret", "community", "auth_key", "priv_key"})
CREDENTIALS_ADVICE = ("credentials never go in inventory files: use NETOPS_USERNAME / NETOPS_PASSWORD "
                      "or the secrets file named by NETOPS_SECRETS_FILE")


def top_mapping(doc: YamlDoc, issues: list[Issue]) -> dict[str, Any]:
    """The file's top-level mapping, or {} with an issue when the file is something else."""
    data = doc.data
    if not isinstance(data, dict):
        issues.append(Issue(doc.name, 1, "(file)", "expected a mapping at the top level"))
        return {}
    return data


def entries(doc: YamlDoc, kind: str, issues: list[Issue]) -> dict[str, dict[str, Any]]:
    """Every top-level entry of a hosts/groups file that has a usable shape, checked by `entry`."""
    out = {}
    for name, raw in top_mapping(doc, issues).items():
        checked = entry(doc, (name,), kind, raw, issues)
        if checked is not None:
            out[name] = checked
    return out


def entry(doc: YamlDoc, loc: tuple[str, ...], kind: str, raw: Any, issues: list[Issue]) -> dict[str, Any] | None:
    """A Nornir host, group or defaults entry with the shape Nornir needs, or None (issues say why)."""
    def issue(where: tuple[str | int, ...], message: str) -> None:
        issues.append(Issue(doc.name, doc.line_of(where), field_path(where), message))

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        issue(loc, f"expected a mapping of {', '.join(ENTRY_KEYS[kind])}, got {kind_of(raw)}")
        return None
    ok = True
    for key in raw:
        if key in CREDENTIAL_KEYS:
            issue(loc + (key,), CREDENTIALS_ADVICE)
            ok = False
        elif key not in ENTRY_KEYS[kind]:
            issue(loc + (key,), f"unknown key (known: {', '.join(ENTRY_KEYS[kind])})")
            ok = False
    for key, wanted in (("data", dict), ("connection_options", dict), ("groups", list)):
        if raw.get(key) is not None and not isinstance(raw[key], wanted):
            issue(loc + (key,), f"expected a {'list' if wanted is list else 'mapping'}, got {kind_of(raw[key])}")
            ok = False
    if isinstance(raw.get("groups"), list) and not all(isinstance(g, str) for g in raw["groups"]):
        issue(loc + ("groups",), "expected a list of group names")
        ok = False
    port = raw.get("port")
    if port is not None and (not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536):
        issue(loc + ("port",), f"port {port!r} is not a TCP port number (1-65535)")
        ok = False
    hidden = _credential_path(raw.get("connection_options"), loc + ("connection_options",))
    if hidden:
        issue(hidden, CREDENTIALS_ADVICE)
        ok = False
    return raw if ok else None


def _credential_path(node: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    """Where a credential hides inside connection_options (extras nest), if anywhere."""
    if isinstance(node, dict):
        for key, value in node.items():
            if str(key).lower() in CREDENTIAL_KEYS:
                return loc + (key,)
            found = _credential_path(value, loc + (key,))
            if found:
                return found
    return None


def kind_of(value: Any) -> str:
    return {str: "a string", list: "a list", dict: "a mapping", bool: "true/false", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)
