"""Where the public shift scheduling instances are (../shared beside the checkout).

A clean checkout elsewhere (CI in a temporary folder) has no ``shared/`` beside it; tests
that read the instances are skipped there with a Swedish reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "shift-scheduling"
needs_benchmarks = pytest.mark.skipif(not BENCHMARKS.is_dir(), reason=f"{BENCHMARKS} saknas")
