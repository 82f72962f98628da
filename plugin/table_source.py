"""Where a tab's table comes from: a CSV file or a table layer of the project, and its columns."""
import csv
from pathlib import Path

from qgis.core import QgsProject
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt import sip
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QComboBox, QHBoxLayout, QStackedWidget, QWidget

from ..qgis_layers.enums import LAYER_FILTER_VECTOR
from ..core.delimited import sniff_delimiter

FILE, LAYER = "file", "layer"


class TableSource(QWidget):
    """A kind selector (file or layer) and the matching picker; ``changed`` fires on a new choice."""
    changed = pyqtSignal()

    def __init__(self, file_filter, parent=None):
        super().__init__(parent)
        self.kind_box = QComboBox()
        self.kind_box.addItem(self.tr("CSV file"), FILE)
        self.kind_box.addItem(self.tr("Table layer"), LAYER)
        self.file_widget = QgsFileWidget()
        self.file_widget.setFilter(file_filter)
        self.file_widget.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.layer_box = QgsMapLayerComboBox()
        self.layer_box.setFilters(LAYER_FILTER_VECTOR)
        self.layer_box.setAllowEmptyLayer(True)
        self.layer_box.setLayer(None)
        self.pickers = QStackedWidget()
        self.pickers.addWidget(self.file_widget)
        self.pickers.addWidget(self.layer_box)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind_box)
        layout.addWidget(self.pickers, 1)
        self.kind_box.currentIndexChanged.connect(self.pickers.setCurrentIndex)
        self.kind_box.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.file_widget.fileChanged.connect(lambda _path: self.changed.emit())
        self.layer_box.layerChanged.connect(lambda _layer: self.changed.emit())

    def kind(self):
        return self.kind_box.currentData()

    def source(self):
        """The file path, or the layer id ('' when nothing is chosen)."""
        if self.kind() == FILE:
            return self.file_widget.filePath()
        layer = self.layer_box.currentLayer()
        return layer.id() if layer else ""

    def layer(self):
        return self.layer_box.currentLayer() if self.kind() == LAYER else None

    def set_source(self, kind, source):
        self.blockSignals(True)
        self.kind_box.setCurrentIndex(self.kind_box.findData(kind))
        if kind == FILE:
            self.file_widget.setFilePath(source)
        else:
            self.layer_box.setLayer(QgsProject.instance().mapLayer(source))
        self.blockSignals(False)
        self.changed.emit()

    def label(self):
        if self.kind() == FILE:
            return self.source()
        layer = self.layer()
        return layer.name() if layer else ""

    def column_names(self):
        if self.kind() == FILE:
            return csv_header(self.source()) if Path(self.source()).is_file() else []
        layer = self.layer()
        return layer.fields().names() if layer else []


def watched(layer):
    """``layer`` while it lives: a layer the project removes is deleted, its Python object left behind."""
    return None if layer is None or sip.isdeleted(layer) else layer


def stop_watching_selection(layer, slot):
    """Disconnect ``slot`` from the selection of ``layer`` while the layer lives; None, for the caller's field."""
    if watched(layer) is not None:
        layer.selectionChanged.disconnect(slot)


def csv_header(path):
    """Column names of a CSV table: the first line that is not blank or a '#' comment."""
    return next(_csv_rows(path), [])


def read_csv_columns(path):
    """{column: list of text} of a plain CSV file with a header line."""
    rows = _csv_rows(path)
    header = next(rows, [])
    columns = {name: [] for name in header}
    for row in rows:
        for name, cell in zip(header, row):
            columns[name].append(cell)
    return columns


def _csv_rows(path):
    """Rows of a CSV file after any '#' lines (AmeriFlux metadata); the delimiter sniffed from the header
    by ``core.delimited``, as the station reader and the practices table decide it."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        header = next(lines, None)
        if header is None:
            return
        reader = csv.reader(lines, delimiter=sniff_delimiter(header))
        yield [name.strip() for name in next(csv.reader([header], delimiter=reader.dialect.delimiter))]
        yield from reader
