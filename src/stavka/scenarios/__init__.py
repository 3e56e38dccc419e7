"""Built-in scenarios, as data (loaded by id through stavka.scenario)."""
