"""Run reports: a self-contained HTML page with plots, map snapshots and score tables.

- :mod:`~stavka.report.plots`: advance curves, capture-date chart, losses vs ranges;
- :mod:`~stavka.report.maps`: map snapshots of positions and control;
- :mod:`~stavka.report.html`: the page (:func:`build_report`, :func:`write_report`).
"""

from __future__ import annotations

from stavka.report.html import build_report, write_report

__all__ = ["build_report", "write_report"]
