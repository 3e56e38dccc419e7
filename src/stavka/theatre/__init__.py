"""stavka.theatre."""
