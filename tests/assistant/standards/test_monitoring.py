"""The self-monitoring tables read from the rules digest, and the obligations found for a unit."""

from __future__ import annotations

from pathlib import Path

import pytest
from seqs_helpers import LIMITS

from assistant.standards.monitoring import (
    Monitoring,
    read_industries,
    read_parameter_rows,
)

DIGEST = Path(__file__).resolve().parents[3] / "corpus" / "documents" / "sindh-self-monitoring-rules-2014-digest.md"


@pytest.fixture(scope="module")
def text() -> str:
    return DIGEST.read_text(encoding="utf-8")


def test_industries_and_categories_are_read_from_schedules_i_and_ii(text: str) -> None:
    industries = {(i.name, i.medium): i.category for i in read_industries(text)}
    assert industries[("tanning and leather finishing", "liquid")] == "A"
    assert industries[("sugar", "liquid")] == "B" and industries[("sugar", "gaseous")] == "B"
    assert industries[("cement", "liquid")] == "C" and industries[("cement", "gaseous")] == "A"
    assert industries[("chlor-alkali, diaphragm cell", "liquid")] == "A"          # "(printed ...)" dropped
    assert not any(name.startswith("any other") for name, _ in industries)


def test_priority_parameters_are_read_per_table(text: str) -> None:
    rows = {(r.name, r.medium): r for r in read_parameter_rows(text)}
    tannery = rows[("Tanning and leather finishing", "liquid")]
    assert tannery.schedule == "III" and tannery.category == "A"
    assert "oil and grease" in tannery.parameters and "chromium (hexavalent)" in tannery.parameters
    assert "effluent flow" in tannery.parameters and not any("Hourly" in p for p in tannery.parameters)
    assert rows[("Thermal power plants (coal- and oil-based)", "gaseous")].parameters == ("SOx", "NOx", "CO", "heavy metals", "particulates")
    assert rows[("Dairy industry", "liquid")].schedule == "IV"
    assert "TDS" in rows[("cement", "liquid")].parameters and rows[("cement", "liquid")].schedule == "V"


def test_a_unit_gets_its_categories_frequencies_and_seqs_rows(embedder) -> None:
    monitoring = Monitoring(DIGEST, embedder, LIMITS)
    tannery = {o.medium: o for o in monitoring.obligations("tannery in Korangi", "Tanning and leather finishing projects")}
    liquid = tannery["liquid"]
    assert liquid.industry.category == "A" and liquid.frequency == "monthly" and liquid.rule == "rule 5"
    assert {limit.parameter for limit in liquid.seqs} >= {"Chemical oxygen demand (COD)", "Oil and grease", "Sulphide (S)"}
    assert all(limit.row >= 2 for limit in liquid.seqs)
    power = {o.medium: o for o in monitoring.obligations("30 MW coal-fired captive power plant", "Coal-fired power plants")}
    assert power["liquid"].industry.category == "A" and power["gaseous"].industry.category == "A"
    assert monitoring.obligations("a 120-bed private hospital", "Hospitals and health care units") == []
