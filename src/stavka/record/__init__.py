"""stavka.record."""
