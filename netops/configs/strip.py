"""Secrets and volatile lines out of a running config, per platform, before anything is written.

Why per platform: each vendor hides secrets in its own syntax (IOS `enable secret 5 ...`, Junos
`encrypted-password "..."`, RouterOS `authentication-password=...`, VRP `cipher %^%#...`), and a
backup in git is read by many people for years. A secret's value becomes `<removed>`; the line stays,
so the config still reads as a config and a diff still shows that the line exists. Lines that change
without any change of configuration (timestamps, NTP drift, byte counts) are dropped, so a backup of an
unchanged device is byte-identical and makes no commit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

REMOVED = "<removed>"

# platform (inventory or NAPALM name) -> family whose rules apply
FAMILIES = {"ios": "cisco", "iosxe": "cisco", "ios-xe": "cisco", "nxos": "cisco", "nxos_ssh": "cisco", "eos": "cisco",
            "junos": "junos", "routeros": "routeros", "huawei": "vrp", "huawei_vrp": "vrp", "vrp": "vrp",
            "netops_lab": "frr", "linux": "frr", "frr": "frr", "cumulus": "frr"}


@dataclass(frozen=True)
class Rule:
    """`pattern`'s group `secret` is replaced (every occurrence on the line); `drop` removes the line."""

    name: str
    pattern: re.Pattern[str]
    drop: bool = False


def _r(name: str, pattern: str, drop: bool = False) -> Rule:
    return Rule(name, re.compile(pattern, re.IGNORECASE), drop)


_CISCO = [
    _r("enable secret/password", r"^\s*enable (?:secret|password)(?: level \d+)?(?: (?:\d|sha512|md5))? (?P<secret>\S+)"),
    _r("user password/secret", r"^\s*username \S+.*?\b(?:password|secret)(?: (?:\d|sha512|md5))? (?P<secret>\S+)"),
    _r("snmp community", r"^\s*snmp-server community (?P<secret>\S+)"),
    _r("snmp v3 auth key", r"^\s*snmp-server user .*?\bauth \S+ (?P<secret>\S+)"),
    _r("snmp v3 priv key", r"^\s*snmp-server user .*?\bpriv(?: \S+)*? (?:aes(?: \d+)?|des|3des|aes-128|aes-256) (?P<secret>\S+)"),
    _r("snmp v3 nxos priv", r"^\s*snmp-server user .*?\bpriv (?P<secret>0x[0-9a-f]+|\S+)(?: localizedkey)?$"),
    _r("snmp trap host community", r"^\s*snmp-server host \S+ (?:(?:traps|informs|version \S+|vrf \S+) )*(?P<secret>\S+)"),
    _r("tacacs/radius key", r"^\s*(?:tacacs-server|radius-server)(?: host \S+)?.*?\bkey(?: \d)? (?P<secret>\S+)"),
    _r("server key", r"^\s+key (?:[0-7] )?(?P<secret>(?!\d+\s*$)\S+)\s*$"),    # not `key 1` of a key chain
    _r("isakmp key", r"^\s*crypto isakmp key(?: \d)? (?P<secret>\S+)"),
    _r("pre-shared key", r"pre-shared-key(?: (?:local|remote))?(?: \d)? (?P<secret>\S+)"),
    _r("key-string", r"^\s*key-string(?: \d)? (?P<secret>\S+)"),
    _r("ospf key", r"ip ospf (?:authentication-key(?: \d)?|message-digest-key \d+ md5(?: \d)?) (?P<secret>\S+)"),
    _r("bgp password", r"^\s*neighbor \S+ password(?: \d)? (?P<secret>\S+)"),
    _r("wpa psk", r"wpa-psk (?:ascii|hex)(?: \d)? (?P<secret>\S+)"),
    _r("ntp key", r"^\s*ntp authentication-key \d+ md5 (?P<secret>\S+)"),
    _r("timestamp", r"^\s*!\s*(?:Last configuration change|NVRAM config last updated|Time:|Running configuration last done)", drop=True),
    _r("banner size", r"^(?:Building configuration|Current configuration\s*:)", drop=True),
    _r("ntp drift", r"^\s*ntp clock-period", drop=True),
]
_JUNOS = [
    _r("encrypted password", r"(?:encrypted-password|authentication-key|secret|pre-shared-key (?:ascii-text|hexadecimal)|"
                             r"authentication-password|privacy-password|simple-password) \"?(?P<secret>[^\";\s]+)\"?"),
    _r("md5 key", r"\bmd5 \d+ key \"?(?P<secret>[^\";\s]+)\"?"),
    _r("snmp community (set)", r"^set snmp community (?P<secret>\S+)"),
    _r("snmp community (curly)", r"^\s*community (?P<secret>[^\s{;]+)\s*\{"),
    _r("timestamp", r"^## Last (?:changed|commit)", drop=True),
]
_ROUTEROS = [
    _r("password-like", r"\b(?:password|secret|authentication-password|encryption-password|wpa2?-pre-shared-key|"
                        r"pre-shared-key|passphrase)=(?P<secret>\"[^\"]*\"|\S+)"),
    _r("snmp community name", r"^/snmp community .*?\bname=(?P<secret>\S+)"),
    # inside an exported `/snmp community` section, the `name=` of each line is the community itself
    _r("snmp community name (section)", r"^\[/snmp community\] .*?\bname=(?P<secret>\S+)"),
    _r("timestamp", r"^# \w{3}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} by RouterOS|^# \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} by RouterOS", drop=True),
]
_VRP = [
    _r("cipher", r"\b(?:cipher|irreversible-cipher|simple)\s+(?P<secret>\S+)"),
    _r("snmp community", r"^\s*snmp-agent community (?:read|write) (?!cipher)(?P<secret>\S+)"),
    _r("timestamp", r"^!\s*Last configuration was (?:updated|saved)", drop=True),
]
_FRR = [
    _r("vty password", r"^\s*(?:enable )?password(?: \d)? (?P<secret>\S+)"),
    _r("ospf key", r"ip ospf (?:authentication-key|message-digest-key \d+ md5) (?P<secret>\S+)"),
    _r("bgp password", r"^\s*neighbor \S+ password (?P<secret>\S+)"),
    _r("snmp community", r"^\s*(?:rocommunity6?|rwcommunity6?|com2sec\s+\S+\s+\S+) (?P<secret>\S+)"),
    _r("snmp v3 user", r"^\s*createUser \S+ (?:MD5|SHA\S*) (?P<secret>\S+)(?: (?:AES|DES)\S* (?P<secret2>\S+))?"),
    _r("banner size", r"^(?:Building configuration|Current configuration\s*:)", drop=True),
]
RULES = {"cisco": _CISCO, "junos": _JUNOS, "routeros": _ROUTEROS, "vrp": _VRP, "frr": _FRR}
_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.DOTALL)


@dataclass
class Stripped:
    text: str
    removed: dict[str, int]        # rule name -> how many secrets it removed
    dropped: int                   # volatile lines dropped


def strip_config(text: str, platform: str) -> Stripped:
    """The config with every known secret replaced by `<removed>` and volatile lines dropped.

    An unknown platform gets every family's secret rules (better a line too many than a secret kept).
    """
    family = FAMILIES.get(platform.lower())
    rules = RULES[family] if family else [r for rs in RULES.values() for r in rs if not r.drop]
    removed: dict[str, int] = {}
    text, n = _PRIVATE_KEY.subn("<private key removed>", text)
    if n:
        removed["private key"] = n
    out: list[str] = []
    dropped = 0
    section = ""          # RouterOS exports: the `/menu path` the following lines belong to
    for line in text.splitlines():
        if any(rule.drop and rule.pattern.search(line) for rule in rules):
            dropped += 1
            continue
        if family == "routeros" and line.startswith("/"):
            section = " ".join(line.split()[:2])
        prefix = f"[{section}] " if family == "routeros" and section and not line.startswith("/") else ""
        line = prefix + line
        for rule in rules:
            if rule.drop:
                continue
            spans = [m.span(group) for m in rule.pattern.finditer(line) for group in ("secret", "secret2")
                     if group in rule.pattern.groupindex and m.group(group) and m.group(group) != REMOVED]
            for start, end in sorted(set(spans), reverse=True):   # right to left: earlier spans stay valid
                line = line[:start] + REMOVED + line[end:]
                removed[rule.name] = removed.get(rule.name, 0) + 1
        out.append(line[len(prefix):].rstrip())
    return Stripped("\n".join(out).strip("\n") + "\n", removed, dropped)
