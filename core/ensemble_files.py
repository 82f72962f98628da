"""A parameter ensemble on disk: the folder of annual-sum rasters fluxscheme's OUTPUT_ENSEMBLE writes, one per member.

aggregate's and scenario's ensemble inputs take the folder as it is; members are the folder's GeoTIFFs in name
order (fluxscheme names them member_001.tif, member_002.tif, ... so that order is the members' order).
"""
import re
from pathlib import Path

from .errors import InputError
from .text_output import PathLike

MEMBER_PATTERN = "member_{number:03d}.tif"
RASTER_SUFFIXES = (".tif", ".tiff")
# what a folder of members may hold: the members, their side files (statistics, styles) and the output guard's
# hidden temporaries
OURS = re.compile(r"^(member_\d{3,}\.tif(\.aux\.xml)?|member_\d{3,}\.qml|\..*)$")


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


def member_paths(folder: PathLike, count: int) -> list:
    return [Path(folder) / MEMBER_PATTERN.format(number=number) for number in range(1, count + 1)]


def prepare_member_folder(folder: PathLike, count: int, parameter: str = "OUTPUT_ENSEMBLE") -> tuple:
    """(member paths, whether the folder was made now) for ``count`` members; an InputError when the folder holds
    files that are not an ensemble's (it is not ours to fill: a forcing folder, say)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{parameter} ({folder}) is a file; give a folder for the ensemble's members.")
    made = not folder.exists()
    if not made:
        foreign = sorted(path.name for path in folder.iterdir() if not OURS.match(path.name))
        if foreign:
            raise InputError(f"{parameter} ({folder}) holds files that are not ensemble members "
                             f"({', '.join(foreign[:5])}{', ...' if len(foreign) > 5 else ''}): choose an empty folder "
                             f"or one a previous ensemble run wrote; nothing was written.")
    folder.mkdir(parents=True, exist_ok=True)
    return member_paths(folder, count), made


def remove_stale_members(folder: PathLike, count: int) -> list:
    """After a run wrote ``count`` members: remove the members a previous, larger run left (and their side files)."""
    keep = {path.name for path in member_paths(folder, count)}
    removed = []
    for path in sorted(Path(folder).glob("member_*")):
        stem = path.name.split(".")[0] + ".tif"
        if stem not in keep and OURS.match(path.name):
            path.unlink()
            removed.append(path.name)
    return removed
