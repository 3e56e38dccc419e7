"""stavka.models."""
