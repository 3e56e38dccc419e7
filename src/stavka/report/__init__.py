"""stavka.report."""
