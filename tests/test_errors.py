from stavka.errors import Problem, ScenarioError


def test_scenario_error_lists_every_problem() -> None:
    """A ScenarioError shows each problem as file:where: what (fix)."""
    err = ScenarioError(
        [Problem("a.yaml", "3: x.y", "bad", "fix it"), Problem("b.csv", "", "missing")]
    )
    text = str(err)
    assert "2 problems" in text
    assert "a.yaml:3: x.y: bad (fix it)" in text
    assert "b.csv: missing" in text
    assert isinstance(err, ValueError)
