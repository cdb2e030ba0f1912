"""The security review's defects (issue 10), each reproduced as the review found it.

Inventory-shaped repros (entries that are not mappings, ports in words, credentials, injected
names, YAML bombs in hosts.yaml) are fixture cases in tests/fixtures/inventory/cases/, run by
tests/sources/test_inventory_validation.py; the rest are here, one section per defect.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from netops.cli.main import cli
from netops.collect.base import classify
from netops.collect.snmp.client import SnmpClient
from netops.collect.snmp.credentials import SnmpCredentials, SnmpTarget
from netops.collect.snmp.errors import SnmpError
from netops.config import load_config
from netops.errors import ConfigError, InputError
from netops.files import UnsafePathError, inside
from netops.models.observation import FailureReason
from netops.models.vps import HypervisorHost
from netops.provision.backends.dryrun import DryRunBackend
from netops.report import output
from netops.report.svg_safe import sanitise_svg
from netops.sources.diagrams import read_diagram, read_diagram_file
from netops.sources.inventory import check_inventory
from netops.sources.secrets import load_secrets
from netops.sources.yamlfile import load_yaml
from netops.store.db import Store
from netops.store.snapshots import save_snapshot
from tests.diagrams.conftest import PD, observe, sample_inventory
from tests.inventory_helpers import make_project

HTML_LABEL = '<<table href="javascript:alert(3)"><tr><td>sw</td></tr></table>>'
BILLION_LAUGHS = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10 if i else ["lol"] * 10) + "]\n"
                         for i in range(9))


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_one_line_errors(result: Result, code: int = 2) -> None:
    assert result.exit_code == code, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("error ") for line in lines), result.stderr


def squeeze(table: str) -> str:
    """A rich table's text without borders and wrapping, to find a cell's content however it was wrapped."""
    return re.sub(r"[\s│┃]", "", table)


def tags_of(page: str) -> list[str]:
    """Every markup tag of a page (escaped text such as `&lt;a href=...&gt;` is not a tag)."""
    return re.findall(r"<[^<>]+>", page)


def lan_file(tmp_path: Path, fmt: str, name: str) -> Path:
    """A two-device DISDUKCAPIL LAN whose switch is called `name`, in YAML, JSON or CSV."""
    edge = "edge-disdukcapil-01"
    if fmt == "csv":
        path = tmp_path / "lan.csv"
        path.write_text(f"a_device,a_interface,b_device,b_interface\n{edge},ether2,{name},Gi0/1\n")
        return path
    doc = {"pd": PD, "devices": [{"name": edge}, {"name": name}],
           "links": [{"a": {"device": edge, "interface": "ether2"}, "b": {"device": name, "interface": "Gi0/1"}}]}
    path = tmp_path / f"lan.{fmt}"
    path.write_text(json.dumps(doc))   # JSON is YAML too
    return path


# 1. stored XSS in the diagram HTML report ---------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["yaml", "json", "csv"])
def test_html_label_in_a_device_name_never_becomes_a_link(fmt: str, tmp_path: Path, scratch_store: str) -> None:
    save_snapshot(Store(scratch_store), observe(sample_inventory(), PD))
    report = tmp_path / "r.html"
    result = invoke("diagram", "validate", str(lan_file(tmp_path, fmt, HTML_LABEL)), "--pd", PD, "--html", str(report))
    assert result.exit_code == 1, result.output
    page = report.read_text()
    assert "<svg" in page, "the picture is drawn"
    assert not [t for t in tags_of(page) if "javascript:" in t or re.match(r"<a[\s>]", t) or "href" in t]
    assert "&lt;&lt;table href=" in page, "the name is shown as the text the PD wrote"


def test_script_label_keeps_the_picture(tmp_path: Path, scratch_store: str) -> None:
    save_snapshot(Store(scratch_store), observe(sample_inventory(), PD))
    report = tmp_path / "r.html"
    invoke("diagram", "validate", str(lan_file(tmp_path, "yaml", "<script>alert(1)</script>")), "--pd", PD,
           "--html", str(report))
    page = report.read_text()
    assert "<svg" in page and "<script" not in page and "&lt;script&gt;" in page


def test_a_picture_that_cannot_be_drawn_says_so(tmp_path: Path, scratch_store: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    save_snapshot(Store(scratch_store), observe(sample_inventory(), PD))
    monkeypatch.setenv("PATH", str(tmp_path))        # no `dot` anywhere
    report = tmp_path / "r.html"
    invoke("diagram", "validate", str(lan_file(tmp_path, "yaml", "sw-01")), "--pd", PD, "--html", str(report))
    page = report.read_text()
    assert "<svg" not in page and "Gambar diagram tidak dapat dibuat" in page and "not installed" in page


def test_svg_allow_list_strips_every_active_part() -> None:
    hostile = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="x()">'
               '<script>alert(1)</script><g onclick="y()"><a xlink:href="javascript:alert(2)"><text>t</text></a>'
               '<foreignObject><div>html</div></foreignObject><image href="data:x"/>'
               '<polygon fill="url(javascript:z)" points="0,0 1,1"/><text x="1">kept</text></g></svg>')
    clean = sanitise_svg(hostile)
    for payload in ("script", "onload", "onclick", "javascript", "<a", "foreignObject", "image", "href", "data:"):
        assert payload not in clean, payload
    assert ">kept</text>" in clean and "<polygon" in clean


# 2. denial of service in diagram validation --------------------------------------------------------------
def _compressed_page(xml: str) -> str:
    import base64
    import zlib
    from urllib.parse import quote
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(packer.compress(quote(xml, safe="").encode()) + packer.flush()).decode()


@pytest.mark.parametrize(("name", "make", "words"), [
    ("rows.csv", lambda: "a_device,a_interface,b_device,b_interface\n" + "".join(
        f"sw-{i},e1,sw-{i + 1},e2\n" for i in range(10_000)), "more than 2,000 devices"),
    ("empty-elements.graphml", lambda: "<graphml><graph>" + "<x/>" * 2_000_000 + "</graph></graphml>",
     "more than 300,000 XML elements"),
    ("blank.csv", lambda: "a_device,a_interface,b_device,b_interface\n" + "\n" * 5_000_000, "more than 10,000 rows"),
    ("many.json", lambda: json.dumps({"devices": [{"name": f"d{i}"} for i in range(200_000)]}),
     "more than 150,000 objects"),
    ("boxes.drawio", lambda: '<mxfile><diagram name="p"><mxGraphModel><root>' + "".join(
        f'<mxCell id="v{i}" value="s{i}" vertex="1"/>' for i in range(40_000)) + "</root></mxGraphModel></diagram></mxfile>",
     "more than 30,000 shapes"),
    ("pages.drawio", lambda: "<mxfile>" + "".join(
        f'<diagram name="p{i}">{_compressed_page("<mxGraphModel><root><!--" + "x" * (9 * 2**20) + "--></root></mxGraphModel>")}'
        "</diagram>" for i in range(3)) + "</mxfile>", "expand beyond 16 MB all together"),
])
def test_oversized_diagrams_are_refused_in_one_line(name: str, make, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        read_diagram(make().encode(), name)
    assert len(caught.value.issues) == 1 and words in str(caught.value) and "\n" not in str(caught.value)


# 3. billion laughs and deep nesting in every YAML netops reads -------------------------------------------
@pytest.mark.parametrize("text", [BILLION_LAUGHS, "x: " + "[" * 20000 + "]" * 20000 + "\n"], ids=["laughs", "deep"])
def test_yaml_bombs_in_config_and_secrets_are_refused(text: str, tmp_path: Path) -> None:
    config = tmp_path / "netops.yaml"
    config.write_text(text)
    with pytest.raises(InputError, match=r"expands to more than|nested more than 64"):
        load_config(config)
    secrets = tmp_path.parent / f"{tmp_path.name}-secrets.yaml"
    secrets.write_text(text)
    secrets.chmod(0o600)
    with pytest.raises(InputError, match=r"expands to more than|nested more than 64"):
        load_secrets(secrets, tmp_path)


def test_yaml_bomb_diagram_is_refused() -> None:
    with pytest.raises(InputError, match="aliases"):
        read_diagram(("devices:\n" + BILLION_LAUGHS).encode(), "bomb.yaml")


# 5. rich markup and terminal escapes in names ------------------------------------------------------------
@pytest.mark.parametrize("name", ["dir[/red]y.yaml", "[blink]x.yaml", "x\x1b[31mred.yaml"])
def test_file_names_are_printed_literally(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)      # `dir[/red]y.yaml` is the file `red]y.yaml` in the folder `dir[`
    path.write_text("devices: []\n")
    result = invoke("diagram", "validate", str(path), "--pd", PD)
    assert_one_line_errors(result)
    shown = name.replace("\x1b", "\\x1b")
    assert shown in result.stderr and "\x1b" not in result.stderr


def test_markup_in_inventory_and_diagram_text_is_printed_literally(tmp_path: Path, scratch_store: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p")
    hosts = project / "inventory" / "hosts.yaml"
    hosts.write_text(hosts.read_text().replace("model: ISR4331", 'model: "ISR[/]4331 [bold]x"'))
    monkeypatch.setenv("NETOPS_CONFIG", str(project / "netops.yaml"))
    monkeypatch.setattr(output.console, "width", 400)     # wide enough that no cell is cut short
    listed = invoke("inventory", "list")
    shown = invoke("inventory", "show", "edge-bapenda-01")
    assert listed.exit_code == 0 and shown.exit_code == 0, (listed.output, shown.output)
    assert "ISR[/]4331[bold]x" in squeeze(listed.stdout) and "ISR[/]4331 [bold]x" in shown.stdout
    monkeypatch.setenv("NETOPS_CONFIG", str(Path(__file__).resolve().parents[2] / "netops.yaml"))
    save_snapshot(Store(scratch_store), observe(sample_inventory(), PD))
    result = invoke("diagram", "validate", str(lan_file(tmp_path, "yaml", "sw-[/bold]x")), "--pd", PD)
    assert result.exit_code == 1 and "sw-[/bold]x" in squeeze(result.stdout), result.output


# 6. tracebacks in inventory validate ----------------------------------------------------------------------
def test_an_inventory_file_that_is_a_folder_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    (project / "inventory" / "sites.yaml").unlink()
    (project / "inventory" / "sites.yaml").mkdir()
    monkeypatch.chdir(project)
    monkeypatch.setenv("NETOPS_CONFIG", str(project / "netops.yaml"))
    result = invoke("inventory", "validate")
    assert result.exit_code == 1 and "inventory/sites.yaml: (file): is a folder, not a file" in result.stdout


# 7. SNMPv3 settings crash the sweep -----------------------------------------------------------------------
@pytest.mark.parametrize(("env", "words"), [
    ({"NETOPS_SNMP_AUTH_PROTO": "SHA999"}, "snmp.auth_proto (from NETOPS_SNMP_AUTH_PROTO): 'SHA999' is not one of"),
    ({"NETOPS_SNMP_AUTH_KEY": "short"}, "snmp.auth_key (from NETOPS_SNMP_AUTH_KEY): SNMPv3 keys must be at least 8"),
    ({"NETOPS_SNMP_PRIV_PROTO": "ROT13"}, "snmp.priv_proto (from NETOPS_SNMP_PRIV_PROTO)"),
])
def test_bad_snmp_settings_stop_the_sweep_before_any_traffic(env: dict[str, str], words: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    hosts = project / "inventory" / "hosts.yaml"
    hosts.write_text(re.sub(r"hostname: 198\.19\.0\.(\d+)", r"hostname: 127.0.0.\1", hosts.read_text()))
    monkeypatch.setenv("NETOPS_CONFIG", str(project / "netops.yaml"))
    for key, value in {"NETOPS_SNMP_USER": "u", "NETOPS_SNMP_AUTH_KEY": "authkey-123", "NETOPS_SNMP_PRIV_KEY": "privkey-123",
                       **env}.items():
        monkeypatch.setenv(key, value)
    result = invoke("sweep", "--timeout", "0.2", "--retries", "0")
    assert_one_line_errors(result)
    assert words in result.stderr


def test_a_secrets_host_entry_that_is_a_string_is_a_config_error(tmp_path: Path) -> None:
    secrets = tmp_path.parent / f"{tmp_path.name}-s.yaml"
    secrets.write_text("hosts:\n  edge-setda-01: just a string\n")
    secrets.chmod(0o600)
    with pytest.raises(ConfigError, match=re.escape("hosts.edge-setda-01: expected a mapping")):
        load_secrets(secrets, tmp_path)


def test_classify_reads_pydantic_errors_without_crashing() -> None:
    from pydantic import ValidationError
    try:
        SnmpCredentials(version="3", user="u", auth_protocol="sha999")  # type: ignore[arg-type]
    except ValidationError as exc:
        assert classify(exc) == FailureReason.error


# 8. path traversal through pusat_data.yaml ----------------------------------------------------------------
def test_hypervisor_named_like_a_path_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    fixture = Path(__file__).resolve().parents[1] / "vps" / "fixtures" / "pusat_data.yaml"
    (project / "inventory" / "pusat_data.yaml").write_text(fixture.read_text().replace("name: hv-01,", "name: ../../../x/hv1,"))
    monkeypatch.chdir(project)
    _, issues = check_inventory(Path("inventory"), Path("topology"))
    assert [(i.file, i.line, i.field) for i in issues] == [("inventory/pusat_data.yaml", 3, "hosts[0].name")]
    assert "not a host name label" in issues[0].message


def test_plan_folders_never_leave_the_plans_root(tmp_path: Path) -> None:
    plans, outside = tmp_path / "plans", tmp_path / "x"
    outside.mkdir()
    (outside / "keep").write_text("precious")
    backend = DryRunBackend(plans)
    rogue = HypervisorHost.model_construct(name="../x", site="s", vcpu=1, memory_mib=1, disk_gib=1, libvirt_uri="")
    with pytest.raises(UnsafePathError):
        backend.undefine(rogue, ".")
    assert (outside / "keep").read_text() == "precious"
    with pytest.raises(UnsafePathError):
        inside(plans, "hv-01", "../../x")
    assert inside(plans, "hv-01", "vps-a-01") == (plans / "hv-01" / "vps-a-01").resolve()


# 10. smaller ----------------------------------------------------------------------------------------------
def test_python_tags_in_a_yaml_diagram_are_refused_cleanly() -> None:
    with pytest.raises(InputError, match=r"unknown YAML tag !!python/object/apply:os.system"):
        read_diagram(b"devices: !!python/object/apply:os.system ['true']\n", "x.yaml")


def test_a_missing_secrets_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_secrets(tmp_path.parent / "no-such-secrets.yaml", tmp_path)


def test_store_report_and_plans_are_not_world_readable(tmp_path: Path, scratch_store: str) -> None:
    store = Store(scratch_store)
    save_snapshot(store, observe(sample_inventory(), PD))
    database = Path(scratch_store.removeprefix("sqlite:///"))
    for path in (database, database.with_name(database.name + "-wal")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    report = tmp_path / "r.html"
    invoke("diagram", "validate", str(lan_file(tmp_path, "yaml", "sw-01")), "--pd", PD, "--html", str(report))
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    from netops.provision.render import DomainPlan
    fields = {name: "x" for name in DomainPlan.__dataclass_fields__}  # type: ignore[attr-defined]
    host = HypervisorHost(name="hv-01", site="s", vcpu=1, memory_mib=1, disk_gib=1, libvirt_uri="test:///default")
    DryRunBackend(tmp_path / "plans").define(host, DomainPlan(**{**fields, "name": "vps-a-01"}))
    for path in (tmp_path / "plans" / "hv-01" / "vps-a-01").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path


def test_a_closed_snmp_port_is_refused_at_once() -> None:
    """Before: `timeout` after every retry. The kernel rate-limits ICMP machine-wide (1000/s, shared with
    whatever else runs), so one of three tries, each bounded well below its 4 x 30 s of retries, must
    come back `refused`."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()                  # nobody listens there now

    async def poll() -> str:
        async with SnmpClient(timeout=30, retries=3) as client:
            session = await client.session(SnmpTarget(name="closed", host="127.0.0.1", port=port,
                                                      credentials=SnmpCredentials.v2c("public")))
            try:
                await asyncio.wait_for(session.get([(1, 3, 6, 1, 2, 1, 1, 5, 0)]), timeout=3)
            except SnmpError as exc:
                return exc.reason
            except TimeoutError:
                return "still waiting"
            return "answered"

    reasons = []
    for _ in range(3):
        reasons.append(asyncio.run(poll()))
        if reasons[-1] == "refused":
            break
    assert reasons[-1] == "refused", reasons


def test_read_diagram_file_on_a_folder_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_diagram_file(tmp_path)


def test_os_umask_does_not_widen_reports(tmp_path: Path) -> None:
    from netops.files import write_private
    old = os.umask(0)
    try:
        write_private(tmp_path / "r.svg", "<svg/>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.svg").stat().st_mode) == 0o640


# 9. accepted when it must fail (the errors are fixture cases); the warnings --------------------------------
def test_suspicious_but_legal_inventory_gives_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    inventory = project / "inventory"
    hosts = (inventory / "hosts.yaml").read_text()
    hosts = hosts.replace("    role: core\n", "    role: core\n    loopback: 198.18.255.1/32\n    serial: FOC123\n")
    hosts = hosts.replace("    role: pd-edge\n    site: pusat-data\n",
                          "    role: pd-edge\n    site: pusat-data\n    loopback: 198.18.255.1/32\n    serial: foc123\n")
    twin = "Edge-Bapenda-01:" + hosts.split("edge-bapenda-01:")[1]    # the same device, its name in capitals
    hosts += twin.replace("198.19.0.13", "198.19.0.14").replace(", ipv4: 198.18.0.3/31", "")
    (inventory / "hosts.yaml").write_text(hosts)
    groups = (inventory / "groups.yaml").read_text()
    (inventory / "groups.yaml").write_text(groups.replace("platform_ios:\n  platform: ios\n",
                                                          "platform_ios:\n  platform: ios\n  groups: [platform_junos]\n")
                                           .replace("platform_junos:\n  platform: junos\n",
                                                    "platform_junos:\n  platform: junos\n  groups: [platform_ios]\n"))
    fixture = Path(__file__).resolve().parents[1] / "vps" / "fixtures" / "pusat_data.yaml"
    (inventory / "pusat_data.yaml").write_text(fixture.read_text().replace("first: 10.20.0.10", "first: 10.20.0.1"))
    monkeypatch.chdir(project)
    monkeypatch.setenv("NETOPS_CONFIG", str(project / "netops.yaml"))
    inv, _issues = check_inventory(Path("inventory"), Path("topology"))
    warned = {(w.file, w.field): w.message for w in inv.warnings}
    assert "loopback 198.18.255.1 is also core-01's" in warned[("inventory/hosts.yaml", "edge-diskominfo-01.data.loopback")]
    assert "serial foc123 is also core-01's" in warned[("inventory/hosts.yaml", "edge-diskominfo-01.data.serial")]
    assert "differ only in case" in warned[("inventory/hosts.yaml", "Edge-Bapenda-01")]
    assert "cycle: platform_junos > platform_ios > platform_junos" in warned[("inventory/groups.yaml", "platform_ios.groups")]
    assert "gateway 10.20.0.1 is inside the pool" in warned[("inventory/pusat_data.yaml", "ip_pools[1].gateway")]
    result = invoke("inventory", "validate", "--json")
    assert len(json.loads(result.stdout)["warnings"]) == len(inv.warnings) == 5


def test_a_few_anchors_and_merge_keys_are_still_fine(tmp_path: Path) -> None:
    """The bounds refuse bombs, not the YAML people write: a shared block reused by a few entries."""
    path = tmp_path / "hosts.yaml"
    path.write_text("base: &base {groups: [platform_ios], data: {role: access-switch, site: s}}\n"
                    "sw-01: {<<: *base, hostname: 127.0.0.1}\nsw-02: {<<: *base, hostname: 127.0.0.2}\n"
                    "sw-03: *base\n")
    data = load_yaml(path).data
    assert data["sw-02"] == {"groups": ["platform_ios"], "data": {"role": "access-switch", "site": "s"},
                             "hostname": "127.0.0.2"}
    assert data["sw-03"] == data["base"]
