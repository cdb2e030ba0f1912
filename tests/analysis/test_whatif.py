"""What-if: the failure engine against the naive copy-remove-recompute loop, and one scenario in depth."""
from __future__ import annotations

import pytest

from netops.analysis.whatif import Failure, each, each_naive, parse_failure, what_if
from netops.errors import InputError, NotFoundError


@pytest.mark.parametrize("kind", ["duct", "link", "node"])
def test_each_matches_naive_on_the_sample(sample_graph, kind):
    fast = [(r.name, r.pds, r.devices) for r in each(sample_graph, kind)]
    assert fast == [(r.name, r.pds, r.devices) for r in each_naive(sample_graph, kind)]
    assert any(pds for _, pds, _ in fast)


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("kind", ["duct", "link", "node"])
def test_each_matches_naive_on_random_multigraphs(make_random_city, seed, kind):
    g = make_random_city(seed, nodes=20)
    assert [(r.name, r.pds, r.devices) for r in each(g, kind)] == \
           [(r.name, r.pds, r.devices) for r in each_naive(g, kind)]


def test_duct_ep01_cuts_mpp_setwan_dpmptsp_and_reroutes_the_rest(sample_graph):
    result = what_if(sample_graph, [parse_failure("duct:DCT-EP-01")])
    assert result.isolated_pds == ["DPMPTSP", "MPP", "SETWAN"]
    assert "BTM-FO-0022" in result.links_cut and "edge-mpp-01" in result.isolated_devices
    rerouted = {r.pd: r for r in result.reroutes}
    assert "DISPERKIM" in rerouted  # its short fibre to core-pd-01 ran in DCT-EP-01
    r = rerouted["DISPERKIM"]
    assert not set(r.after.cables) & set(result.links_cut)
    assert r.after.length_m > r.before.length_m
    assert 0 < r.capacity_after_mbps < r.capacity_before_mbps


def test_node_and_link_failures_combine(sample_graph):
    alone = what_if(sample_graph, [Failure("link", "BTM-FO-0080")])
    assert alone.isolated_pds == ["PKM-BELAKANGPADANG"]
    both = what_if(sample_graph, [Failure("node", "dist-seibeduk"), Failure("link", "BTM-FO-0080")])
    assert set(both.isolated_pds) == {"DISPORA", "KEC-GALANG", "KEC-SEIBEDUK", "PKM-GALANG", "PKM-KABIL",
                                      "PKM-SEILEKOP", "PKM-BELAKANGPADANG"}


@pytest.mark.parametrize("text", ["duct", "pipe:X", "link:"])
def test_bad_failure_syntax_is_an_input_error(text):
    with pytest.raises(InputError):
        parse_failure(text)


@pytest.mark.parametrize("text", ["duct:NOPE", "link:NOPE", "node:nope"])
def test_unknown_elements_are_named(sample_graph, text):
    with pytest.raises(NotFoundError, match=r"NOPE|nope"):
        what_if(sample_graph, [parse_failure(text)])
