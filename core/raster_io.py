"""Raster reading and writing that keeps memory bounded and never leaves half-written outputs."""
import warnings
from pathlib import Path

import numpy as np
import rasterio
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window

from .errors import InputError
from .output_guard import Output, OutputTransaction, raster_driver

NODATA = -9999.0


class AtomicGeoTiff:
    """A GeoTIFF written in a hidden folder beside its target and moved into place only on success.

    Used as a context manager: an exception (a cancel included) deletes the temporary file, so a
    failed or cancelled run leaves no output behind; a replaced output's old side files (.aux.xml
    statistics, .qml style) go with it. The driver comes from the extension (``raster_driver``).
    """

    def __init__(self, path, grid, band_names, band_tags=None, dataset_tags=None, dtype="float64"):
        self.path = Path(path)
        self.transaction = OutputTransaction([Output("OUTPUT", str(self.path), "raster")])
        self.temporary = None
        self.profile = dict(driver=raster_driver(self.path), width=grid.width, height=grid.height,
                            count=len(band_names),
                            dtype=dtype, crs=grid.crs, transform=grid.transform, nodata=NODATA,
                            tiled=True, blockxsize=256, blockysize=256, BIGTIFF="IF_SAFER",
                            # deflate level 1: a sixth of the default level's time on noise-like
                            # statistics (measured for the trend output), a few % larger files
                            compress="deflate", zlevel=1, num_threads="ALL_CPUS")
        if grid.width < 256 or grid.height < 256:
            self.profile.update(tiled=False, blockxsize=None, blockysize=None)
            self.profile = {k: v for k, v in self.profile.items() if v is not None}
        self.band_names = list(band_names)
        self.band_tags = band_tags or [{} for _ in band_names]
        self.dataset_tags = dataset_tags or {}
        self.dataset = None

    def __enter__(self):
        self.temporary = self.transaction.begin().temporary(self.path)
        try:
            self.dataset = rasterio.open(self.temporary, "w", **self.profile)
        except Exception:
            self.transaction.rollback()
            raise
        for band, (name, tags) in enumerate(zip(self.band_names, self.band_tags), start=1):
            self.dataset.set_band_description(band, name)
            if tags:
                self.dataset.update_tags(band, **tags)
        if self.dataset_tags:
            self.dataset.update_tags(**self.dataset_tags)
        return self

    def write(self, values: np.ndarray, window: Window) -> None:
        """Write (bands, rows, cols) values; NaN becomes the nodata value."""
        self.dataset.write(np.where(np.isfinite(values), values, NODATA).astype(self.profile["dtype"]),
                           window=window)

    def update_band_tags(self, band: int, **tags) -> None:
        """Band metadata known only once the values are written (e.g. how many gaps were filled)."""
        self.dataset.update_tags(band, **tags)

    def __exit__(self, kind, error, trace):
        try:
            self.dataset.close()
        finally:
            self.transaction.__exit__(kind, error, trace)
        return False


class ResampledInput:
    """A single-band static raster (SOC, pH, salt, mask) read window by window on the forcing grid.

    When its grid differs from the forcing grid it is warped on the fly (bilinear for continuous
    fields, nearest for masks) and ``resampled`` is True so that the caller can warn.
    """

    def __init__(self, path, label, grid, categorical=False):
        self.label = f"{label} ({path})"
        try:
            self.dataset = rasterio.open(path)
        except rasterio.errors.RasterioIOError as error:
            raise InputError(f"{self.label}: cannot be opened as a raster ({error}).") from None
        if self.dataset.crs is None:
            raise InputError(f"{self.label}: the raster has no coordinate reference system.")
        self.resampled = not (self.dataset.crs == grid.crs and self.dataset.transform.almost_equals(grid.transform)
                              and self.dataset.width == grid.width and self.dataset.height == grid.height)
        self.reader = self.dataset
        if self.resampled:
            resampling = Resampling.nearest if categorical else Resampling.bilinear
            self.reader = WarpedVRT(self.dataset, crs=grid.crs, transform=grid.transform, width=grid.width,
                                    height=grid.height, resampling=resampling, src_nodata=self.dataset.nodata,
                                    nodata=np.nan if self.dataset.nodata is None else self.dataset.nodata)

    def read(self, window: Window) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
            values = self.reader.read(1, window=window, masked=True).astype(np.float64)
        return values.filled(np.nan)

    def close(self) -> None:
        if self.reader is not self.dataset:
            self.reader.close()
        self.dataset.close()

