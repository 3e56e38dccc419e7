"""Reproducible ``.npz`` files: fixed member order, fixed timestamps, no pickles.

``numpy.savez`` stamps each member with the current time, so two builds differ.
:func:`write_npz` writes the same bytes for the same arrays; :func:`read_npz`
loads them all into memory (``allow_pickle=False``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

__all__ = ["read_npz", "write_npz"]

_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` (sorted by name) as a deflated ``.npz`` with fixed metadata."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.require(arrays[name], requirements="C"))
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue(), compresslevel=9)


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """Read every array of an ``.npz`` file into a dict."""
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}
