"""The README's out-of-sample benchmark table is what the code gives today (recomputed, no bootstrap: the
held-out folds do not depend on it)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from calibration_table import benchmark_rows, markdown, readme_table  # noqa: E402


def test_readme_benchmark_table_matches_the_code():
    assert readme_table() == markdown(benchmark_rows())
