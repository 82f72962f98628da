"""The output guard on real files: refusals before anything is written, outputs moved into place together with
their side files replaced, and no temporary file left by a failure, SIGTERM, or (after the next run) SIGKILL."""
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from desert_carbon.core.errors import InputError
from desert_carbon.core.grid import Grid
from desert_carbon.core.output_guard import (TEMPORARY_FOLDER, Input, Output, OutputTransaction, check_outputs,
                                             clean_stale_temporaries, raster_driver, side_files)
from desert_carbon.core.raster_io import AtomicGeoTiff

PLUGIN_ROOT = Path(__file__).resolve().parents[2] / ".build" / "plugins"


def hidden_folders(folder):
    return [p for p in Path(folder).iterdir() if TEMPORARY_FOLDER.match(p.name)]


def refusal(outputs, inputs):
    with pytest.raises(InputError) as raised:
        check_outputs(outputs, inputs)
    return str(raised.value)


def test_an_output_that_is_an_input_is_refused_naming_both(tmp_path):
    source = tmp_path / "annual.tif"
    source.write_bytes(b"II*\x00 the user's data")
    message = refusal([Output("OUTPUT", str(source), "raster")], [Input("INPUT", str(source))])
    assert "OUTPUT" in message and "the input INPUT" in message and str(source) in message
    # another spelling of the same file, and a link to it
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.tif"
    link.symlink_to(source)
    assert "INPUT" in refusal([Output("OUTPUT", str(tmp_path / "sub" / ".." / "annual.tif"), "raster")],
                              [Input("INPUT", str(source))])
    assert "INPUT" in refusal([Output("OUTPUT", str(link), "raster")], [Input("INPUT", str(source))])
    assert source.read_bytes() == b"II*\x00 the user's data"


def test_a_side_file_that_is_an_input_is_refused(tmp_path):
    style = tmp_path / "flux.qml"
    style.write_text("<qgis/>")
    message = refusal([Output("OUTPUT", str(tmp_path / "flux.tif"), "raster")], [Input("STYLE", str(style))])
    assert "flux.qml" in message and "STYLE" in message


def test_two_outputs_on_one_file_are_refused(tmp_path):
    same = str(tmp_path / "totals.csv")
    message = refusal([Output("OUTPUT_CSV", same, "csv"), Output("OUTPUT_SUMS", same, "csv")], [])
    assert "OUTPUT_CSV and OUTPUT_SUMS both write" in message
    # flux.tif and flux.tiff would share their style flux.qml
    assert "flux.qml" in refusal([Output("OUTPUT", str(tmp_path / "flux.tif"), "raster"),
                                  Output("OUTPUT_RAIN", str(tmp_path / "flux.tiff"), "raster")], [])


@pytest.mark.parametrize("name, kind, suggestion", [
    ("flux.txt", "raster", "flux.tif"), ("totals.xlsx", "csv", "totals.csv"), ("report.pdf", "html", "report.html"),
    ("plot", "png", "plot.png")])
def test_an_extension_the_output_cannot_have_is_refused(tmp_path, name, kind, suggestion):
    message = refusal([Output("OUTPUT", str(tmp_path / name), kind)], [])
    assert "cannot be a" in message and suggestion in message
    assert not (tmp_path / name).exists()


def test_the_raster_driver_comes_from_the_extension():
    assert raster_driver("a/b/flux.TIF") == raster_driver("flux.tiff") == "GTiff"
    with pytest.raises(InputError, match="OUTPUT_RAIN .*rain.nc.*extensions .tif, .tiff"):
        raster_driver("rain.nc", "OUTPUT_RAIN")


def test_a_folder_that_cannot_be_written_is_named_with_the_reason(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where a folder should be")
    message = refusal([Output("OUTPUT", str(blocker / "flux.tif"), "raster")], [])
    assert "cannot be written" in message and "is a file, not a folder" in message


def test_a_read_only_folder_is_refused_with_the_system_reason(tmp_path):
    target = Path("/sys/desert_carbon_test/flux.tif")      # sysfs: not writable, not even by root
    if os.access("/sys", os.W_OK) and not _cannot_create(Path("/sys")):
        pytest.skip("/sys is writable here")
    message = refusal([Output("OUTPUT", str(target), "raster")], [])
    assert "cannot be written" in message and "/sys" in message
    assert re.search(r"the folder /sys cannot be written \((Permission denied|Operation not permitted|Read-only "
                     r"file system)\)", message)


def _cannot_create(folder):
    try:
        (folder / "probe").mkdir()
    except OSError:
        return True
    (folder / "probe").rmdir()
    return False


def test_an_existing_file_of_another_kind_is_not_replaced(tmp_path):
    raster = tmp_path / "dem.csv"
    raster.write_bytes(b"II*\x00" + bytes(100))          # a GeoTIFF under a .csv name
    assert "holds a TIFF raster" in refusal([Output("OUTPUT_CSV", str(raster), "csv")], [])
    folder = tmp_path / "out.tif"
    folder.mkdir()
    assert "is a folder" in refusal([Output("OUTPUT", str(folder), "raster")], [])


def write_raster(path, value):
    grid = Grid("EPSG:4326", from_origin(80, 40, 0.5, 0.5), 3, 2)
    with AtomicGeoTiff(path, grid, ["2001"]) as output:
        output.write(np.full((1, 2, 3), value), rasterio.windows.Window(0, 0, 3, 2))


def test_a_replaced_raster_loses_its_old_statistics_and_style(tmp_path):
    out = tmp_path / "flux.tif"
    write_raster(out, 1.0)
    stale = {side: f"stale {side.name}" for side in side_files(out, "raster")
             if side.suffix in (".xml", ".qml")}
    for side, text in stale.items():
        side.write_text(text)
    write_raster(out, -555142.0)
    with rasterio.open(out) as dataset:
        assert dataset.read(1)[0, 0] == -555142.0
    assert not any(side.exists() for side in stale)
    assert hidden_folders(tmp_path) == []


def test_a_transaction_moves_every_output_together_or_none(tmp_path):
    outputs = [Output("OUTPUT", str(tmp_path / "table.csv"), "csv"),
               Output("OUTPUT_HTML", str(tmp_path / "deeper" / "page.html"), "html")]
    with pytest.raises(RuntimeError):
        with OutputTransaction(outputs) as transaction:
            Path(transaction.temporary(outputs[0].path)).write_text("a,b\n")
            assert not Path(outputs[0].path).exists()        # nothing under its name while the run goes on
            raise RuntimeError("the second output failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nor the folder made for the second
    with OutputTransaction(outputs) as transaction:
        for output in outputs:
            Path(transaction.temporary(output.path)).write_text(output.parameter)
    assert [Path(o.path).read_text() for o in outputs] == ["OUTPUT", "OUTPUT_HTML"]
    assert hidden_folders(tmp_path) == [] and hidden_folders(tmp_path / "deeper") == []


WRITER = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from desert_carbon.core.output_guard import Output, OutputTransaction
transaction = OutputTransaction([Output("OUTPUT", {out!r}, "csv")]).begin()
Path(transaction.temporary({out!r})).write_text("half written")
print("writing", flush=True)
time.sleep(60)
transaction.commit()
"""


def start_writer(out):
    script = textwrap.dedent(WRITER.format(root=str(PLUGIN_ROOT), out=str(out)))
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "writing"
    return process


def test_sigterm_mid_write_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "table.csv"
    process = start_writer(out)
    assert len(hidden_folders(tmp_path)) == 1
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == -signal.SIGTERM         # it still ends as SIGTERM ends it
    assert list(tmp_path.iterdir()) == []


def test_sigkill_leftovers_are_cleaned_by_the_next_run(tmp_path):
    out = tmp_path / "table.csv"
    process = start_writer(out)
    process.kill()
    process.wait(timeout=30)
    assert not out.exists() and len(hidden_folders(tmp_path)) == 1    # SIGKILL cannot be caught
    deadline = time.time() + 10
    while time.time() < deadline and clean_stale_temporaries(tmp_path) == [] and hidden_folders(tmp_path):
        time.sleep(0.1)
    assert hidden_folders(tmp_path) == [] and not out.exists()
