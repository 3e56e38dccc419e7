"""Tests of stavka.scenario (a package so its module names do not clash)."""
