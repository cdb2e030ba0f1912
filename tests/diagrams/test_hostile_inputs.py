"""Malformed and hostile diagrams: a clear InputError (exit 2, one line per issue), never a traceback.

The fixed corpus (tests/diagrams/hostile/) covers XXE, billion laughs (XML and YAML), a
deflate bomb, truncated XML, wrong encodings, parent/edge cycles, unlabelled unknown shapes,
empty and non-diagram files; hypothesis then mutates real sample files of every format and
feeds them to every reader and to the CLI.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netops.cli.main import cli
from netops.errors import InputError
from netops.sources.diagrams import READERS, read_diagram, read_diagram_file
from netops.sources.diagrams.limits import MAX_BYTES
from tests.diagrams.conftest import SAMPLES

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED_WORDS = {
    "xxe.drawio": "DTD", "billion_laughs.graphml": "DTD", "yaml_bomb.yaml": "aliases",
    "deflate_bomb.drawio": "expands beyond", "truncated.drawio": "not well-formed", "empty.csv": "empty",
    "latin1.csv": "not UTF-8", "utf16_garbage.drawio": "not well-formed", "bad_base64.drawio": "base64",
    "wrong_root.drawio": "not a draw.io file", "picture.png": "unknown diagram format",
    "unknown_shapes.drawio": "no label", "cycle_parents.drawio": "no devices", "yaml_cycle.yaml": "",
}
SEEDS = sorted(p for p in SAMPLES.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", sorted(EXPECTED_WORDS))
def test_hostile_file_is_refused_clearly(name: str) -> None:
    with pytest.raises(InputError) as caught:
        read_diagram_file(HOSTILE / name)
    assert EXPECTED_WORDS[name] in str(caught.value)
    assert all(issue.file.endswith(name) or name in issue.file for issue in caught.value.issues)


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.drawio"
    with huge.open("wb") as handle:
        handle.write(b"<mxfile>" + b" " * (50 * 2**20) + b"</mxfile>")
    with pytest.raises(InputError, match=re.escape("50.0 MB; diagrams over 10 MB are refused")):
        read_diagram_file(huge)


def test_cli_refuses_hostile_file_with_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["diagram", "validate", str(HOSTILE / "xxe.drawio"), "--pd", "DISDUKCAPIL"])
    assert result.exit_code == 2, result.output
    assert "DTD" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]], cut: int | None) -> bytes:
    out = bytearray(data)
    for position, length, insert in edits:
        at = position % (len(out) + 1)
        out[at:at + length] = insert
    return bytes(out[:cut] if cut is not None else out)


mutations = st.tuples(
    st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 8),
                       st.one_of(st.binary(max_size=8), st.sampled_from([b"<", b">", b"&", b'"', b"<!DOCTYPE x>",
                                                                         b"&lol;", b"\xff\xfe", b";", b",", b"\n",
                                                                         b"*a", b"&a ", b"]]>", b"\x00"]))),
             max_size=6),
    st.one_of(st.none(), st.integers(0, 4000)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), mutation=mutations, reader=st.sampled_from(READERS))
def test_mutated_files_only_ever_raise_input_error(seed: Path, mutation: tuple, reader: object) -> None:
    data = _mutate(seed.read_bytes(), *mutation)
    for attempt in (lambda: read_diagram(data, seed.name), lambda: reader.read(data, seed.name)):  # type: ignore[attr-defined]
        try:
            attempt()
        except InputError as exc:
            assert exc.issues and all(str(issue).strip() for issue in exc.issues)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(SEEDS), mutation=mutations)
def test_cli_on_mutated_files_exits_2_with_one_line_errors(tmp_path: Path, seed: Path, mutation: tuple) -> None:
    target = tmp_path / seed.name
    target.write_bytes(_mutate(seed.read_bytes(), *mutation))
    result = CliRunner().invoke(cli, ["diagram", "validate", str(target), "--pd", seed.parent.name, "--json"])
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.strip() and all(line.startswith("error ") for line in result.stderr.strip().splitlines())


def test_max_bytes_is_ten_megabytes() -> None:
    assert MAX_BYTES == 10 * 2**20
