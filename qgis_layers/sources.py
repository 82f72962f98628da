"""The file behind a QGIS layer's data source, so that the output guard can tell an output from an input."""
import re
from urllib.parse import unquote, urlparse

# GDAL's subdataset and virtual-file forms: NETCDF:"/x.nc":var, GPKG:/x.gpkg:table, /vsizip//x.zip/member
QUOTED_SUBDATASET = re.compile(r'^[A-Za-z0-9_]+:"([^"]+)"')
GPKG_SUBDATASET = re.compile(r"^GPKG:(.+?)(?::[^:/\\]*)?$")
VIRTUAL_ARCHIVE = re.compile(r"^/vsi(?:zip|tar|gzip|7z)/+(.+?\.(?:zip|tar|tgz|tar\.gz|gz|7z))(?:/.*)?$", re.IGNORECASE)


def file_of_source(source):
    """The local file a layer source reads ('' for memory layers, databases and web services)."""
    source = (source or "").strip()
    if not source or source.startswith(("memory", "dbname=", "service=", "url=", "http://", "https://")):
        return ""
    if source.startswith("file://"):            # delimited text: file:///path/table.csv?delimiter=,
        return unquote(urlparse(source).path)
    match = QUOTED_SUBDATASET.match(source)
    if match:
        return match.group(1)
    match = GPKG_SUBDATASET.match(source)
    if match:
        return match.group(1)
    source = source.split("|", 1)[0]            # ogr: /path/layers.gpkg|layername=polygons
    match = VIRTUAL_ARCHIVE.match(source)
    if match:
        return "/" + match.group(1).lstrip("/")
    return source
