"""Parameter ensembles for the tests (SYNTHETIC: the bundled defaults with k1 changed, so each member's flux on a
forcing of constant ΔT is known by hand)."""
import json
from pathlib import Path

from desert_carbon.core.parameters import DEFAULT_PARAMETER_FILE

MEMBER_K1 = (0.005, 0.01, 0.02, 0.04)         # µmol m-2 s-1 K-1, within the bounds [0, 1]


def parameter_folder(folder, k1_values=MEMBER_K1):
    """A folder of parameter files, one per k1; returns its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    document = json.loads(DEFAULT_PARAMETER_FILE.read_text(encoding="utf-8"))
    for number, k1 in enumerate(k1_values, start=1):
        document["parameters"]["k1"]["value"] = k1
        document["name"] = f"k1 = {k1}"
        (folder / f"k1_{number}.json").write_text(json.dumps(document), encoding="utf-8")
    return str(folder)
