"""stavka.testing."""
