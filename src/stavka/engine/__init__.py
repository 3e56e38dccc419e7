"""stavka.engine."""
