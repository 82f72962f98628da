"""Text outputs (CSV, HTML, JSON) written the same way everywhere: atomically, numbers unrounded."""
import os
import uuid
from pathlib import Path

import numpy as np


def write_text_atomically(path, text):
    """Write under a temporary name beside ``path`` and rename: never a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def format_value(value, digits=12):
    """A table cell: floats to ``digits`` significant digits, NaN and inf as empty."""
    if isinstance(value, (float, np.floating)):
        return "" if not np.isfinite(value) else f"{value + 0.0:.{digits}g}"     # + 0.0: no "-0"
    return str(value)
