"""A parameter ensemble on disk: the folder of annual-sum rasters fluxscheme's OUTPUT_ENSEMBLE writes, one per member.

aggregate's and scenario's ensemble inputs take the folder as it is; members are the folder's GeoTIFFs in name
order (fluxscheme names them member_001.tif, member_002.tif, ... so that order is the members' order).
"""
from pathlib import Path

from .errors import InputError
from .text_output import PathLike

MEMBER_PATTERN = "member_{number:03d}.tif"
RASTER_SUFFIXES = (".tif", ".tiff")


def member_rasters(folder: PathLike, parameter: str = "ENSEMBLE_FOLDER") -> list:
    """The member rasters of an ensemble folder, in name order; an InputError when it holds fewer than two."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"Ensemble folder {folder} ({parameter}) does not exist or is not a folder; give the folder "
                         f"fluxscheme wrote as OUTPUT_ENSEMBLE.")
    members = sorted(str(path) for path in folder.iterdir()
                     if path.suffix.lower() in RASTER_SUFFIXES and not path.name.startswith("."))
    if len(members) < 2:
        raise InputError(f"Ensemble folder {folder} ({parameter}) holds {len(members)} GeoTIFF(s); a spread needs at "
                         f"least two members (one annual-sum raster per parameter set).")
    return members
