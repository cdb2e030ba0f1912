"""Property tests over every reader of user files and every command that takes a file.

Not collected on its own (the name is not test_*.py): tests/hostile/test_fuzz_bounded.py runs this
file in a child process under a memory limit (RLIMIT_AS) and a CPU and wall-clock limit, so a
blow-up fails the test instead of taking the machine down. The only outcomes allowed:

- the inventory loader and validator return their issues, each one line, and never raise;
- a command exits 0 or 1 with its normal output, or 2 with one `error ...` line per problem,
  and never leaves an exception other than SystemExit behind (no traceback).

Inputs: the fixture inventory and the sample diagrams, netops.yaml and GraphML topologies,
each either mutated byte by byte (the diagram tests' mutations) or with one node of its YAML
replaced by an arbitrary YAML value (a string where a mapping belongs, a list for a port...).
NETOPS_FUZZ_EXAMPLES sets the number of examples per property (default 40).
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from netops.cli.main import cli
from netops.errors import InputError
from netops.sources.inventory import check_inventory, load_inventory
from tests.diagrams.conftest import SAMPLES
from tests.diagrams.test_hostile_inputs import _mutate, mutations
from tests.inventory_helpers import MINIMAL, make_project

REPO = Path(__file__).resolve().parents[2]
FUZZ = settings(max_examples=int(os.environ.get("NETOPS_FUZZ_EXAMPLES", "40")), deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
INVENTORY_FILES = sorted(str(p.relative_to(MINIMAL)) for p in MINIMAL.rglob("*.yaml"))
DIAGRAMS = sorted(p for p in SAMPLES.rglob("*") if p.is_file())
GRAPHML = sorted([*(REPO / "tests" / "fixtures" / "graphml").glob("*.graphml")])
SAMPLE_CONFIG = "inventory_dir: inventory\ntopology_dir: topology\nstore: sqlite:///var/s.sqlite\n" \
                "policies:\n  - {name: p, pd_kinds: [rsud], require: diverse}\nsweep: {timeout: 1}\n"

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12) | st.sampled_from(["", "[/]", "\x1b[2J", "../../x", "a\nb", "<script>", "twenty-two"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


def replace_somewhere(data: Any, choices: list[int], value: Any) -> Any:
    """`data` with the node that `choices` walk to (an index per level) replaced by `value`."""
    if not choices or not isinstance(data, (dict, list)) or not data:
        return value
    if isinstance(data, dict):
        key = list(data)[choices[0] % len(data)]
        return {**data, key: replace_somewhere(data[key], choices[1:], value)}
    i = choices[0] % len(data)
    return [*data[:i], replace_somewhere(data[i], choices[1:], value), *data[i + 1:]]


edits = st.one_of(
    st.tuples(st.just("bytes"), mutations),
    st.tuples(st.just("node"), st.tuples(st.lists(st.integers(0, 50), max_size=5), yaml_values)))


def edited(original: bytes, edit: tuple[str, Any]) -> bytes:
    kind, how = edit
    if kind == "bytes":
        return _mutate(original, *how)
    data = YAML(typ="safe").load(original) or {}
    return json.dumps(replace_somewhere(data, *how), default=str).encode()   # JSON is YAML


@contextmanager
def project(files: dict[str, bytes] | None = None) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp) / "p")
        for rel, data in (files or {}).items():
            (root / rel).write_bytes(data)
        yield root


def assert_clean_exit(result: Result, allowed: tuple[int, ...] = (0, 1)) -> None:
    """0/1 with normal output, or 2 with `error` lines; never a traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (*allowed, 2), (result.exit_code, result.output)
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert lines and all(line.startswith(("error ", "Error: ", "Usage: ", "Try ")) for line in lines), result.stderr


@FUZZ
@given(target=st.sampled_from(INVENTORY_FILES), edit=edits)
def test_inventory_loader_and_validator(target: str, edit: tuple[str, Any]) -> None:
    with project({target: edited((MINIMAL / target).read_bytes(), edit)}) as root:
        inventory, issues = check_inventory(root / "inventory", root / "topology")
        for issue in [*issues, *inventory.warnings]:
            assert "\n" not in str(issue) and str(issue).strip()
        try:
            load_inventory(root / "inventory", root / "topology")
        except InputError as exc:
            assert exc.issues == issues


@FUZZ
@given(target=st.sampled_from(INVENTORY_FILES), edit=edits)
def test_cli_inventory_validate(target: str, edit: tuple[str, Any]) -> None:
    with project({target: edited((MINIMAL / target).read_bytes(), edit)}) as root:
        result = CliRunner().invoke(cli, ["--config", str(root / "netops.yaml"), "inventory", "validate"])
        assert_clean_exit(result)


@FUZZ
@given(edit=edits, command=st.sampled_from([["inventory", "list"], ["vps", "list"], ["diagram", "status"]]))
def test_cli_config_file(edit: tuple[str, Any], command: list[str]) -> None:
    with project({"netops.yaml": edited(SAMPLE_CONFIG.encode(), edit)}) as root:
        result = CliRunner().invoke(cli, ["--config", str(root / "netops.yaml"), *command],
                                    env={"NETOPS_STORE": f"sqlite:///{root / 's.sqlite'}"})
        assert_clean_exit(result, (0,))


@FUZZ
@given(seed=st.sampled_from(DIAGRAMS), mutation=mutations, command=st.sampled_from(["validate", "submit"]))
def test_cli_diagram_commands(seed: Path, mutation: tuple[Any, ...], command: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / seed.name
        target.write_bytes(_mutate(seed.read_bytes(), *mutation))
        result = CliRunner().invoke(cli, ["diagram", command, str(target), "--pd", seed.parent.name],
                                    env={"NETOPS_STORE": f"sqlite:///{Path(tmp) / 's.sqlite'}"})
        assert_clean_exit(result, (0, 1))


@FUZZ
@given(seed=st.sampled_from(GRAPHML), mutation=mutations,
       command=st.sampled_from([["check"], ["render", "--format", "drawio"], ["whatif", "--each", "link"]]))
def test_cli_topology_file(seed: Path, mutation: tuple[Any, ...], command: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / seed.name
        target.write_bytes(_mutate(seed.read_bytes(), *mutation))
        args = ["topology", command[0], "--topology", str(target), *command[1:]]
        if command[0] == "render":
            args += ["-o", str(Path(tmp) / "out.drawio")]
        result = CliRunner().invoke(cli, args)
        assert_clean_exit(result, (0, 1))


BACKUP_LOG = (b'{"message_type":"summary","snapshot_id":"9f3c2a1b","total_bytes_processed":5368709120,'
              b'"time":"2025-03-02T01:04:10+07:00","hostname":"vps-bapenda-pajak-01"}\n'
              b'{"message_type":"exit_error","code":1,"message":"locked","time":"2025-03-02T01:00:03+07:00",'
              b'"hostname":"vps-bapenda-pajak-01"}\n')


@FUZZ
@given(mutation=mutations)
def test_cli_vps_backups_import(mutation: tuple[Any, ...]) -> None:
    pusat_data = (REPO / "tests" / "vps" / "fixtures" / "pusat_data.yaml").read_bytes()
    with project({"inventory/pusat_data.yaml": pusat_data, "b.jsonl": _mutate(BACKUP_LOG, *mutation)}) as root:
        result = CliRunner().invoke(cli, ["--config", str(root / "netops.yaml"), "vps", "backups", "import",
                                          str(root / "b.jsonl")], env={"NETOPS_STORE": f"sqlite:///{root / 's.sqlite'}"})
        assert_clean_exit(result, (0,))


def test_the_seeds_are_there() -> None:
    assert INVENTORY_FILES and DIAGRAMS and GRAPHML
