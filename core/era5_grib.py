"""ERA5 / ERA5-Land GRIB1 and GRIB2 files as ``FieldSeries`` (docs/SCIENCE.md section 3).

Fields are identified by their ECMWF parameter id, read from the message headers by a small scanner
here, not by GDAL's element names: GDAL 3.6 calls stl1 ``ST`` and stl2 ``DST``, knows no names for
ECMWF's local GRIB2 parameters at all (``unknown``) and converts K to degC unless told not to.
The scanner also gives each message's valid time and grid; GDAL's GRIB driver decodes the values
(band k is message k), checked against the scanner's message count and valid times.

GRIB2 parameter ids are mapped as ecCodes 2.28 writes them (``grib_set -s paramId=...``) plus the
WMO encoding of soil temperature and soil water that ECMWF uses since IFS cycle 49r1 (ecCodes
``sot``/``vsw`` on soil levels, or on depths below land surface):

============  =========================================  =============================================
paramId       ecCodes 2.28 writes                        also accepted
============  =========================================  =============================================
139 stl1      192/128/139 (ECMWF local)                  2/3/18 on soil level 1 (151) or 0-0.07 m (106)
170 stl2      192/128/170                                2/3/18 on soil level 2 or 0.07-0.28 m
39 swvl1      192/128/39                                 2/0/25 on soil level 1 or 0-0.07 m
40 swvl2      192/128/40                                 2/0/25 on soil level 2 or 0.07-0.28 m
235 skt       0/0/17, surface (1)                        192/128/235
172 lsm       2/0/0, surface                             192/128/172
176 ssr       0/4/9, surface, accumulation (4.8)         192/128/176
177 str       0/5/5, surface, accumulation               192/128/177
169 ssrd      0/4/7, surface, accumulation               192/128/169
175 strd      0/5/3, surface, accumulation               192/128/175
228 tp        0/1/193 (ECMWF number in a WMO category),  192/128/228
              surface, accumulation, local tables >= 1
============  =========================================  =============================================

(discipline/parameterCategory/parameterNumber). GRIB1: ECMWF (centre 98) local tables 128, 160, 170,
171, 174, 175, 180 and 190 hold our ids under the same number (ecCodes' grib1 paramId.def).
"""
from __future__ import annotations

import calendar
import re
import struct
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from osgeo import gdal
from rasterio.crs import CRS
from rasterio.transform import Affine
from rasterio.windows import Window

from .era5_fields import PARAMETER_IDS, VARIABLE_OF_PARAMETER, FieldSeries, SharedDataset
from .value_range import ValueRange
from .errors import InputError
from .grid import Grid
from .timeaxis import iso

UNITS = {"skt": "K", "stl1": "K", "stl2": "K", "swvl1": "m**3 m**-3", "swvl2": "m**3 m**-3",
         "ssr": "J m**-2", "str": "J m**-2", "ssrd": "J m**-2", "strd": "J m**-2", "tp": "m", "lsm": "(0 - 1)"}

# ECMWF GRIB1 local parameter tables in which ecCodes gives our numbers their table-128 meaning
_GRIB1_TABLES = {128: set(PARAMETER_IDS.values()), 160: {139, 170, 172, 176, 177, 228, 235},
                 170: {139, 176, 177, 228}, 171: {172}, 174: {172}, 175: {172}, 180: {172},
                 190: {139, 169, 172, 175, 176, 177, 228}}
# GRIB2 WMO encodings (discipline, category, number) -> (paramId, needs accumulation); surface only
_GRIB2_SURFACE = {(0, 0, 17): (235, False), (2, 0, 0): (172, False), (0, 4, 9): (176, True),
                  (0, 5, 5): (177, True), (0, 4, 7): (169, True), (0, 5, 3): (175, True), (0, 1, 193): (228, True)}
# soil temperature / volumetric soil moisture by layer: layer 1 = 0-7 cm, layer 2 = 7-28 cm
_GRIB2_SOIL = {(2, 3, 18): (139, 170), (2, 0, 25): (39, 40)}
_LAYER_DEPTHS = {(0.0, 0.07): 0, (0.07, 0.28): 1}

# seconds per unit of time range: GRIB1 code table 4 (ECMWF: 13 = 15 min, 14 = 30 min, 254 = s) and
# GRIB2 code table 4.4 (13 = s)
_UNIT_SECONDS_1 = {0: 60, 1: 3600, 2: 86400, 10: 10800, 11: 21600, 12: 43200, 13: 900, 14: 1800, 254: 1}
_UNIT_SECONDS_2 = {0: 60, 1: 3600, 2: 86400, 10: 10800, 11: 21600, 12: 43200, 13: 1}
_MARS_TYPES = {1: "fg", 2: "an", 3: "ia", 4: "oi", 9: "fc", 10: "cf", 11: "pf", 17: "em", 18: "es"}
_STAT_TYPES = {0: "avg", 1: "accum", 2: "max", 3: "min", 4: "diff"}
_GRID_NAMES_1 = {0: "regular_ll", 1: "mercator", 3: "lambert", 4: "regular_gg", 5: "polar_stereographic",
                 10: "rotated_ll", 14: "rotated_gg", 50: "sh"}
_GRID_NAMES_2 = {0: "regular_ll", 1: "rotated_ll", 10: "mercator", 20: "polar_stereographic", 30: "lambert",
                 40: "regular_gg", 41: "rotated_gg", 50: "sh", 90: "space_view", 101: "unstructured_grid"}
_CHUNK = 1 << 16


@dataclass
class _Message:
    """What the scanner learnt from one message's headers (numbers 1-based, as GDAL counts bands)."""
    number: int
    edition: int
    centre: int
    parameter: int | None      # ECMWF paramId when it is one of ours
    label: str                 # how the message names its parameter, for "found ..." messages
    valid: int = 0             # epoch seconds
    reference: int = 0
    data_type: str = ""
    step_type: str = "instant"
    period: int = 0            # seconds of the accumulation / statistics period ending at ``valid``
    grid_type: str = ""
    grid_key: tuple = ()       # (ni, nj, lat1, lon1, lat2, lon2, scanning mode) in degrees
    expver: str = ""
    constant: float | None = None   # value of a field packed with 0 bits per value
    bitmap_offset: int = -1         # file offset of the bitmap's bits, -1 when there is none


def grib_field_series(path: str) -> list[FieldSeries]:
    """One FieldSeries per ERA5 variable (by ECMWF parameter id) in a GRIB1 or GRIB2 file.

    ``path`` may be a GDAL virtual path (``/vsizip/...``). Raises InputError when the file holds
    none of our parameters, a grid other than regular lat/lon, fields of one variable on different
    grids, or two different fields for one variable and time.
    """
    messages = _scan(path)
    ours = [m for m in messages if m.parameter is not None]
    if not ours:
        found = sorted({m.label for m in messages})
        raise InputError(f"{path}: no ERA5 variable the flux scheme reads ({', '.join(PARAMETER_IDS)}) among "
                         f"its {len(messages)} GRIB message(s); found {', '.join(found)}.")
    _check_one_grid(path, messages)
    dataset = _open_gdal(path)
    _check_gdal(path, dataset, messages)
    geotransform = dataset.GetGeoTransform()
    shared = SharedDataset(path, _open_gdal, dataset)      # one GDAL dataset for every variable of the file
    series = []
    present = {m.parameter for m in ours}
    for variable, parameter in PARAMETER_IDS.items():
        if parameter not in present:
            continue
        fields = sorted((m for m in ours if m.parameter == parameter), key=lambda m: (m.valid, m.number))
        first = fields[0]
        if first.grid_type != "regular_ll":
            raise InputError(f"{path}: variable {variable} (message {first.number}) is on a {first.grid_type} "
                             f"grid; only regular latitude/longitude grids (regular_ll) are read. Regrid it, "
                             f"e.g. request a lat/lon grid from the data store or `cdo remapbil`.")
        grid, flip = _grid(path, first, geotransform)
        kept = _drop_duplicates(path, variable, fields, shared, grid, flip)
        layers = [(m.number, m.constant, m.bitmap_offset) for m in kept]
        reader = GribRead(path, layers, grid.width, grid.height, flip, first.grid_key[6], shared)
        series.append(FieldSeries(variable=variable, source=path,
                                  times=np.array([m.valid for m in kept], dtype=np.int64), grid=grid,
                                  units=UNITS[variable], read=reader, attributes=_attributes(kept, grid)))
    return series


class GribRead:
    """``read(first, stop, window)`` of a GRIB FieldSeries; picklable (the GDAL dataset is reopened lazily).

    ``layers`` holds per step (band number, constant value or None, bitmap offset or -1); ``shared``
    the file's dataset, shared with the readers of the file's other variables.
    """

    def __init__(self, path: str, layers: list, width: int, height: int, flip: bool, scanning: int,
                 shared: SharedDataset | None = None):
        self.path = path
        self.layers = layers
        self.width = width
        self.height = height
        self.flip = flip
        self.scanning = scanning
        self._shared = shared if shared is not None else SharedDataset(path, _open_gdal)

    def __call__(self, first: int, stop: int, window: Window, out: np.ndarray | None = None, shift: float = 0.0,
                 ranges: ValueRange | None = None) -> np.ndarray:
        rows, cols = int(window.height), int(window.width)
        row0, col0 = int(window.row_off), int(window.col_off)
        if out is None:
            out = np.empty((int(stop) - int(first), rows, cols), dtype=np.float64)
        for k, (band, constant, bitmap) in enumerate(self.layers[int(first):int(stop)]):
            if constant is None:
                out[k] = self._band(band, row0, col0, rows, cols)
            else:
                out[k] = constant
                if bitmap >= 0:
                    present = self._bitmap(bitmap)[row0:row0 + rows, col0:col0 + cols]
                    out[k][~present] = np.nan
        if shift:
            out += shift
        if ranges is not None:
            ranges.add(out)
        return out

    def close(self) -> None:
        """Drop the file's GDAL dataset; the next read reopens it."""
        self._shared.close()

    def _band(self, band: int, row0: int, col0: int, rows: int, cols: int) -> np.ndarray:
        if self.flip:      # GDAL gave the rows south first: read the mirrored strip and turn it
            row0 = self.height - row0 - rows
        with _raw_units():
            gdal_band = self._shared.get().GetRasterBand(band)
            raw = gdal_band.ReadAsArray(col0, row0, cols, rows)
        if raw is None:
            raise InputError(f"{self.path}: GDAL could not decode GRIB message {band}.")
        values = raw.astype(np.float64)
        nodata = gdal_band.GetNoDataValue()
        if nodata is not None:   # GDAL writes its nodata value where the bitmap says "missing"
            values[values == nodata] = np.nan
        return values[::-1] if self.flip else values

    def _bitmap(self, offset: int) -> np.ndarray:
        """The bitmap of a constant field as north-up (rows, cols) booleans, True = value present."""
        count = self.width * self.height
        data = _read_at(self.path, offset, (count + 7) // 8)
        bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8))[:count].astype(bool)
        bits = bits.reshape(self.height, self.width)
        return bits[::-1] if self.scanning & 0x40 else bits


# ---------------------------------------------------------------------------------------------
# scanning the headers


class _File:
    """Bytes of a file through GDAL's virtual file system (so /vsizip/ and /vsicurl/ work).

    Reads go through a buffer of _CHUNK bytes: the scanner asks for about ten small pieces of every
    message's headers, and ERA5-Land fields of a small area are a few hundred bytes to a few kB each,
    so a year of hourly fields (tens of thousands of messages) costs a few hundred reads, not a million.
    """

    def __init__(self, path: str):
        self.path = path
        self.handle = gdal.VSIFOpenL(path, "rb")
        if self.handle is None:
            raise InputError(f"{path}: cannot be opened.")
        gdal.VSIFSeekL(self.handle, 0, 2)
        self.size = gdal.VSIFTellL(self.handle)
        self._start, self._buffer = 0, b""

    def read(self, offset: int, count: int) -> bytes:
        at = offset - self._start
        if 0 <= at and at + count <= len(self._buffer):
            return self._buffer[at:at + count]
        gdal.VSIFSeekL(self.handle, offset, 0)
        data = bytes(gdal.VSIFReadL(1, max(count, _CHUNK), self.handle) or b"")
        self._start, self._buffer = offset, data
        return data[:count]

    def find(self, needle: bytes, start: int, stop: int) -> int:
        """First offset of ``needle`` in [start, stop), -1 if absent."""
        if stop - start >= len(needle) and self.read(start, len(needle)) == needle:
            return start        # the usual case: the next message starts where the last one ended
        position = start
        while position < stop:
            chunk = self.read(position, min(_CHUNK + len(needle), stop - position))
            found = chunk.find(needle)
            if found >= 0:
                return position + found
            if len(chunk) <= len(needle):
                break
            position += len(chunk) - len(needle) + 1
        return -1

    def close(self) -> None:
        gdal.VSIFCloseL(self.handle)


def _read_at(path: str, offset: int, count: int) -> bytes:
    handle = _File(path)
    try:
        return handle.read(offset, count)
    finally:
        handle.close()


def _scan(path: str) -> list[_Message]:
    try:
        handle = _File(path)
    except RuntimeError as error:        # gdal.UseExceptions() is on when core.forcing is imported
        raise InputError(f"{path}: cannot be opened ({error}).") from None
    messages = []
    try:
        position = 0
        while position < handle.size:
            start = handle.find(b"GRIB", position, handle.size)
            if start < 0:
                break
            head = handle.read(start, 16)
            edition = head[7] if len(head) >= 8 else 0
            number = len(messages) + 1
            if edition == 1:
                message, length = _grib1(handle, start, number)
            elif edition == 2:
                message, length = _grib2(handle, start, number)
            else:
                raise InputError(f"{path}: message {number} at byte {start} has GRIB edition {edition}; "
                                 f"expected 1 or 2.")
            messages.append(message)
            position = start + length
    finally:
        handle.close()
    if not messages:
        raise InputError(f"{path}: not a GRIB file (no GRIB message found).")
    return messages


def _int(data: bytes) -> int:
    return int.from_bytes(data, "big")


def _signed(data: bytes) -> int:
    """GRIB's signed integers: sign bit then magnitude (not two's complement)."""
    value = _int(data)
    sign_bit = 1 << (8 * len(data) - 1)
    return -(value & (sign_bit - 1)) if value & sign_bit else value


def _ibm(data: bytes) -> float:
    """An IBM System/360 single-precision float (GRIB1 reference values)."""
    sign = -1.0 if data[0] & 0x80 else 1.0
    return sign * _int(data[1:4]) / float(1 << 24) * 16.0 ** ((data[0] & 0x7F) - 64)


def _epoch(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> int:
    return calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))


def _iso(seconds: int) -> str:
    return iso(seconds) + "Z"          # GRIB times are UTC; say so in messages


def _grib1_end(handle: _File, start: int, length: int, number: int) -> int:
    """Length of a GRIB1 message, whose 24-bit length field may use ECMWF's large-message convention."""
    if not length & 0x800000:
        return length
    # messages over 8 MiB (a global 0.1 deg field at 16 bits is 13 MB) store length/120 with the top
    # bit set; the end is the "7777" found near that mark
    mark = start + (length & 0x7FFFFF) * 120
    end = handle.find(b"7777", max(start, mark - 130), min(handle.size, mark + 8))
    last = end
    while end >= 0:
        last = end
        end = handle.find(b"7777", end + 1, min(handle.size, mark + 8))
    if last < 0:
        raise InputError(f"{handle.path}: GRIB message {number} (large GRIB1) has no end marker near byte {mark}.")
    return last + 4 - start


def _grib1(handle: _File, start: int, number: int) -> tuple[_Message, int]:
    path = handle.path
    length = _grib1_end(handle, start, _int(handle.read(start + 4, 3)), number)
    pds_length = _int(handle.read(start + 8, 3))
    pds = handle.read(start + 8, pds_length)
    if len(pds) < 28:
        raise InputError(f"{path}: GRIB message {number} is truncated.")
    table, centre, flags, indicator = pds[3], pds[4], pds[7], pds[8]
    parameter = indicator if centre == 98 and indicator in _GRIB1_TABLES.get(table, ()) else None
    message = _Message(number, 1, centre, parameter, f"GRIB1 centre {centre} table {table} parameter {indicator}")
    century, year = pds[24], pds[12]
    message.reference = _epoch((century - 1) * 100 + year, pds[13], pds[14], pds[15], pds[16])
    unit, p1, p2, indicator_range = pds[17], pds[18], pds[19], pds[20]
    if unit not in _UNIT_SECONDS_1:
        raise InputError(f"{path}: GRIB message {number} has time unit code {unit}, which is not read.")
    seconds = _UNIT_SECONDS_1[unit]
    if indicator_range in (0, 1):
        message.valid = message.reference + p1 * seconds * (indicator_range == 0)
    elif indicator_range == 10:       # P1 spans octets 19-20
        message.valid = message.reference + _int(pds[18:20]) * seconds
    elif indicator_range in (2, 3, 4, 5):
        message.valid = message.reference + p2 * seconds
        message.period = (p2 - p1) * seconds
        message.step_type = {2: "range", 3: "avg", 4: "accum", 5: "diff"}[indicator_range]
    else:
        raise InputError(f"{path}: GRIB message {number} has time range indicator {indicator_range}, "
                         f"which is not read (0, 1, 2, 3, 4, 5 and 10 are).")
    if centre == 98 and len(pds) >= 49 and pds[40] in (1, 15, 16, 26, 30):   # ECMWF local definition: mars keys
        message.data_type = _MARS_TYPES.get(pds[42], str(pds[42]))
        message.expver = pds[45:49].decode("ascii", "replace").strip("\x00 ")
    decimal_scale = _signed(pds[26:28])
    position = start + 8 + pds_length
    if not flags & 0x80:
        raise InputError(f"{path}: GRIB message {number} has no grid description section.")
    gds_length = _int(handle.read(position, 3))
    gds = handle.read(position, gds_length)
    _grib1_grid(message, gds)
    position += gds_length
    bitmap = -1
    if flags & 0x40:
        bms_length = _int(handle.read(position, 3))
        bms = handle.read(position, 6)
        bitmap = position + 6 if _int(bms[4:6]) == 0 else -2
        position += bms_length
    bds = handle.read(position, 11)
    if len(bds) == 11 and bds[10] == 0 and not bds[3] & 0xC0:
        # a constant field: GDAL 3.6's GRIB1 reader returns R * 2^E for it instead of R (DESIGN.md),
        # so decode it here: Y = R / 10^D
        message.constant = _ibm(bds[6:10]) / 10.0 ** decimal_scale
        if bitmap == -2:
            raise InputError(f"{path}: GRIB message {number} uses a predefined bitmap, which is not read.")
        message.bitmap_offset = bitmap
    return message, length


def _lat_lon_grid(message: _Message, ni: int, nj: int, missing: int, corners: list, scanning: int) -> None:
    """The grid key of a regular lat/lon grid (first lat, lon, last lat, lon); a reduced one, whose
    row length is "missing", is named and left unread."""
    if missing in (ni, nj):
        message.grid_type = "reduced_ll"
    else:
        message.grid_key = (ni, nj, *corners, scanning)


def _grib1_grid(message: _Message, gds: bytes) -> None:
    kind = gds[5] if len(gds) > 5 else -1
    message.grid_type = _GRID_NAMES_1.get(kind, f"GRIB1 grid type {kind}")
    if kind == 0:          # millidegrees, 3-byte signed
        corners = [_signed(gds[a:a + 3]) / 1000.0 for a in (10, 13, 17, 20)]
        _lat_lon_grid(message, _int(gds[6:8]), _int(gds[8:10]), 0xFFFF, corners, gds[27])


def _grib2(handle: _File, start: int, number: int) -> tuple[_Message, int]:
    path = handle.path
    head = handle.read(start, 16)
    discipline, length = head[6], _int(head[8:16])
    position, end = start + 16, start + length
    sections: dict = {}
    message = _Message(number, 2, 0, None, "")
    while position < end - 4:
        top = handle.read(position, 5)
        if top[:4] == b"7777":
            break
        size, kind = _int(top[:4]), top[4]
        if size < 5:
            raise InputError(f"{path}: GRIB message {number} has a broken section at byte {position}.")
        if kind in sections and kind >= 2:
            raise InputError(f"{path}: GRIB message {number} holds several fields; split it first, e.g. "
                             f"`grib_copy {path} split.grib` (ecCodes writes one field per message).")
        if kind == 6:
            sections[6] = handle.read(position, 6)
            sections["bitmap_offset"] = position + 6
        elif kind != 7:
            sections[kind] = handle.read(position, size)
        position += size
    if not all(k in sections for k in (1, 3, 4, 5)):
        raise InputError(f"{path}: GRIB message {number} lacks a section (1, 3, 4 or 5).")
    identification = sections[1]
    message.centre = _int(identification[5:7])
    message.reference = _epoch(_int(identification[12:14]), *identification[14:19])
    message.data_type = {0: "an", 1: "fc"}.get(identification[20], str(identification[20]))
    local = sections.get(2, b"")
    if message.centre == 98 and len(local) >= 15:     # ECMWF local section: mars class, type, stream, expver
        message.data_type = _MARS_TYPES.get(local[8], str(local[8]))
        message.expver = local[11:15].decode("ascii", "replace").strip("\x00 ")
    _grib2_grid(message, sections[3])
    _grib2_product(path, message, discipline, identification[10], sections[4])
    representation = sections[5]
    if len(representation) >= 20 and representation[19] == 0:
        # constant field (0 bits per value): Y = R / 10^D, decoded here like GRIB1's
        reference = struct.unpack(">f", representation[11:15])[0]
        message.constant = reference / 10.0 ** _signed(representation[17:19])
        indicator = sections[6][5] if 6 in sections else 255
        if indicator == 0:
            message.bitmap_offset = sections["bitmap_offset"]
        elif indicator != 255:
            raise InputError(f"{path}: GRIB message {number} uses a predefined bitmap, which is not read.")
    return message, length


def _grib2_grid(message: _Message, section: bytes) -> None:
    template = _int(section[12:14])
    message.grid_type = _GRID_NAMES_2.get(template, f"GRIB2 grid template 3.{template}")
    if template == 0:      # micro-degrees unless a basic angle and subdivisions say otherwise
        basic, subdivisions = _int(section[38:42]), _int(section[42:46])
        unit = 1e-6 if basic in (0, 0xFFFFFFFF) or subdivisions in (0, 0xFFFFFFFF) else basic / subdivisions
        corners = [round(_signed(section[a:a + 4]) * unit, 9) for a in (46, 50, 55, 59)]
        _lat_lon_grid(message, _int(section[30:34]), _int(section[34:38]), 0xFFFFFFFF, corners, section[71])


def _surface(kind: int, factor: int, value: int) -> float | None:
    """Depth or level of a fixed surface, None when missing."""
    if kind == 255 or value == 0xFFFFFFFF:
        return None
    scale = 0 if factor == 0xFF else (factor - 256 if factor > 127 else factor)
    return round(value / 10.0 ** scale, 6)


def _grib2_product(path: str, message: _Message, discipline: int, local_tables: int, section: bytes) -> None:
    template = _int(section[7:9])
    category, number = section[9], section[10]
    message.label = f"GRIB2 {discipline}/{category}/{number}"
    if template not in (0, 8):
        message.label += f" (product template 4.{template}, not read)"
        return
    unit = section[17]
    if unit not in _UNIT_SECONDS_2:
        raise InputError(f"{path}: GRIB message {message.number} has time unit code {unit}, which is not read.")
    step = _int(section[18:22]) * _UNIT_SECONDS_2[unit]
    message.valid = message.reference + step
    first_type, second_type = section[22], section[28]
    first = _surface(first_type, section[23], _int(section[24:28]))
    second = _surface(second_type, section[29], _int(section[30:34]))
    accumulated = False
    if template == 8:
        # the end of the overall time interval is written out: that is the valid time
        message.valid = _epoch(_int(section[34:36]), *section[36:41])
        statistic = section[46]
        message.step_type = _STAT_TYPES.get(statistic, f"statistic {statistic}")
        accumulated = statistic == 1
        message.period = message.valid - (message.reference + step)
    key = (discipline, category, number)
    parameter = None
    if discipline == 192 and category == 128 and number in VARIABLE_OF_PARAMETER:
        parameter = number
    elif key in _GRIB2_SURFACE and first_type == 1:
        candidate, needs_accumulation = _GRIB2_SURFACE[key]
        if needs_accumulation == accumulated and (candidate != 228 or (local_tables >= 1 and message.centre == 98)):
            parameter = candidate
    elif key in _GRIB2_SOIL and not accumulated:
        layer = None
        if first_type == 151 and second_type in (151, 255) and first in (1.0, 2.0):
            layer = int(first) - 1          # ECMWF "soil level" n (IFS 49r1 sot / vsw)
        elif first_type == 106 and second_type == 106:
            layer = _LAYER_DEPTHS.get((first, second))
        if layer is not None:
            parameter = _GRIB2_SOIL[key][layer]
    message.parameter = parameter
    if parameter is None:
        message.label += f" surface {first_type}" + ("" if first is None else f" {first}")


# ---------------------------------------------------------------------------------------------
# GDAL


@contextmanager
def _thread_option(key: str, value: str):
    """A GDAL config option for this thread only, while the block runs."""
    previous = gdal.GetThreadLocalConfigOption(key, None)
    gdal.SetThreadLocalConfigOption(key, value)
    try:
        yield
    finally:
        gdal.SetThreadLocalConfigOption(key, previous)


def _raw_units():
    """GRIB_NORMALIZE_UNITS=NO while GDAL opens or decodes (else K becomes degC)."""
    return _thread_option("GRIB_NORMALIZE_UNITS", "NO")


def _valid_times_only():
    """GRIB_PDS_ALL_BANDS=OFF while band metadata is asked for: GDAL 3.6 otherwise rereads each GRIB2
    message's product definition on a band's first GetMetadataItem (about 20 us a message; a second
    for a year of hourly GRIB2 fields of five variables), which GRIB_VALID_TIME does not need."""
    return _thread_option("GRIB_PDS_ALL_BANDS", "OFF")


def _open_gdal(path: str):
    try:
        with _raw_units():
            dataset = gdal.OpenEx(path, gdal.OF_RASTER | gdal.OF_READONLY, allowed_drivers=["GRIB"])
    except RuntimeError as error:
        raise InputError(f"{path}: GDAL's GRIB driver cannot open it ({error}).") from None
    if dataset is None:
        raise InputError(f"{path}: GDAL's GRIB driver cannot open it.")
    return dataset


def _check_gdal(path: str, dataset, messages: list[_Message]) -> None:
    """Band k must be message k: same count and, for every message of ours, the same valid time."""
    if dataset.RasterCount != len(messages):
        raise InputError(f"{path}: GDAL sees {dataset.RasterCount} GRIB field(s), the header scan "
                         f"{len(messages)}: the file is damaged or holds fields GDAL skips.")
    for m in messages:
        if m.parameter is None:
            continue
        with _valid_times_only():
            text = dataset.GetRasterBand(m.number).GetMetadataItem("GRIB_VALID_TIME") or ""
        match = re.match(r"\s*(-?\d+)", text)
        if match is None or int(match.group(1)) != m.valid:
            raise InputError(f"{path}: message {m.number} is valid at {_iso(m.valid)} by its header, GDAL "
                             f"says {text.strip() or 'nothing'} (GRIB_VALID_TIME): refusing to guess which is right.")


def _check_one_grid(path: str, messages: list[_Message]) -> None:
    """Every message on the grid of the first one of ours.

    GDAL's GRIB driver gives a file one geotransform and size (the first message's), and GDAL 3.6
    aborted the process ("corrupted size vs. prev_size") reading a file that mixes grid sizes, so
    this is checked before GDAL sees the file.
    """
    first = next(m for m in messages if m.parameter is not None)
    for m in messages:
        if (m.grid_type, m.grid_key) != (first.grid_type, first.grid_key):
            name = VARIABLE_OF_PARAMETER.get(m.parameter, m.label)
            raise InputError(f"{path}: message {m.number} ({name}, valid {_iso(m.valid)}) is on another grid "
                             f"than message {first.number}: {m.grid_type} {m.grid_key} vs {first.grid_type} "
                             f"{first.grid_key} (columns, rows, first/last latitude and longitude, scanning "
                             f"mode). Keep one grid per file, e.g. `grib_copy {path} 'out_[gridType]_[Ni]x[Nj].grib'`.")


def _grid(path: str, message: _Message, geotransform: tuple) -> tuple[Grid, bool]:
    """North-up EPSG:4326 grid of a regular_ll message (cell centres from the first/last points)."""
    ni, nj, lat1, lon1, lat2, lon2, scanning = message.grid_key
    if scanning & 0xA0:
        raise InputError(f"{path}: message {message.number} is scanned west-ward or column by column "
                         f"(scanning mode {scanning}); only rows scanned east-ward are read.")
    if ni < 2 or nj < 2:
        raise InputError(f"{path}: the grid of message {message.number} needs at least two latitudes and "
                         f"two longitudes ({ni} x {nj}).")
    if lon2 < lon1:          # the grid crosses the 0 / 360 meridian as written
        lon2 += 360.0
    # headers hold milli- (GRIB1) or micro-degrees (GRIB2): round away the float noise of the division
    dx = round((lon2 - lon1) / (ni - 1), 10)
    dy = round(abs(lat1 - lat2) / (nj - 1), 10)
    west, north = round(lon1 - dx / 2, 10), round(max(lat1, lat2) + dy / 2, 10)
    # GDAL may shift a 0-360 grid to -180..180; its array is what read() returns, so follow its origin
    shift = round((geotransform[0] - west) / 360.0) * 360.0
    if abs(geotransform[0] - shift - west) > 1e-3 * dx or abs(geotransform[1] - dx) > 1e-3 * dx \
            or abs(abs(geotransform[5]) - dy) > 1e-3 * dy:
        raise InputError(f"{path}: GDAL places the grid at {geotransform}, the GRIB header at west {west}, "
                         f"north {north}, step {dx} x {dy} degrees.")
    grid = Grid(CRS.from_epsg(4326), Affine(dx, 0.0, west + shift, 0.0, -dy, north), ni, nj)
    return grid, geotransform[5] > 0


def _drop_duplicates(path: str, variable: str, fields: list[_Message], shared: SharedDataset, grid: Grid,
                     flip: bool) -> list:
    """Keep one of several messages of one valid time if their values are identical, else refuse."""
    kept = [fields[0]]
    whole = Window(0, 0, grid.width, grid.height)
    for m in fields[1:]:
        if m.valid != kept[-1].valid:
            kept.append(m)
            continue
        reader = GribRead(path, [(k.number, k.constant, k.bitmap_offset) for k in (kept[-1], m)],
                          grid.width, grid.height, flip, m.grid_key[6], shared)
        a, b = reader(0, 2, whole)
        if not np.array_equal(a, b, equal_nan=True):
            raise InputError(f"{path}: variable {variable} has two different fields valid at {_iso(m.valid)} "
                             f"(messages {kept[-1].number} and {m.number}); keep one, e.g. one expver or "
                             f"ensemble member per file.")
    return kept


def _attributes(fields: list[_Message], grid: Grid) -> dict:
    """What the file says about its dataset: the catalog tells ERA5-Land from ERA5 by these."""

    def one_or_all(values):
        distinct = sorted(set(values))
        return distinct[0] if len(distinct) == 1 else distinct

    dx, dy = grid.transform.a, -grid.transform.e
    attributes = {"GRIB_edition": one_or_all(m.edition for m in fields),
                  "centre": one_or_all(m.centre for m in fields),
                  "dataType": one_or_all(m.data_type for m in fields),
                  "stepType": one_or_all(m.step_type for m in fields),
                  "grid_step_degrees": round(dx, 9) if abs(dx - dy) < 1e-9 else (round(dx, 9), round(dy, 9)),
                  "reference_hours_utc": sorted({(m.reference // 3600) % 24 for m in fields})}
    if any(m.step_type != "instant" for m in fields):
        attributes["period_hours"] = sorted({m.period / 3600.0 for m in fields})
    if any(m.expver for m in fields):
        attributes["expver"] = one_or_all(m.expver for m in fields)
    return attributes
