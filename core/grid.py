"""The forcing grid and windows over it."""
from dataclasses import dataclass

from rasterio.crs import CRS
from rasterio.transform import Affine
from rasterio.windows import Window


@dataclass(frozen=True)
class Grid:
    crs: CRS
    transform: Affine
    width: int
    height: int

    def same_as(self, other: "Grid", tolerance: float = 1e-9) -> bool:
        """Same size and CRS, transforms equal within ``tolerance``."""
        return (self.width == other.width and self.height == other.height
                and self.crs == other.crs and self.transform.almost_equals(other.transform, tolerance))


def apply_affine(transform, x, y) -> tuple:
    """``transform`` (an affine.Affine) applied to (x, y), numbers or arrays, written out: affine's ``*`` with a pair
    is deprecated for ``@`` in newer releases (Debian sid), which older ones (bookworm) lack. The same arithmetic,
    in the same order, as ``transform * (x, y)``."""
    return x * transform.a + y * transform.b + transform.c, x * transform.d + y * transform.e + transform.f


def plan_windows(grid: Grid, bytes_per_pixel: float, budget_bytes: float) -> list:
    """Windows that cover the grid, each holding at most ``budget_bytes`` of working arrays.

    Whole rows when they fit (forcing files are stored row-major per time step, so a strip of rows
    is one contiguous read per step), otherwise column tiles of a single row block.
    """
    pixels = max(1, int(budget_bytes // max(bytes_per_pixel, 1)))
    if pixels >= grid.width:
        rows = min(grid.height, pixels // grid.width)
        return [Window(0, row, grid.width, min(rows, grid.height - row))
                for row in range(0, grid.height, rows)]
    return [Window(col, row, min(pixels, grid.width - col), 1)
            for row in range(grid.height) for col in range(0, grid.width, pixels)]
