import pytest

import desert_carbon


@pytest.fixture
def provider(qgis_processing):
    """The plugin's provider registered for one test, as QGIS registers it."""
    plugin = desert_carbon.classFactory(None)
    plugin.initProcessing()
    yield plugin.provider
    plugin.unload()


@pytest.fixture
def algorithm_dialog(qgis_iface, monkeypatch):
    """Processing's own AlgorithmDialog for an algorithm, as the toolbox opens it. Its parameters panel asks the
    desktop's iface for a browser model, which pytest-qgis's stand-in cannot give: the panel is made as in a
    QGIS without a main window."""
    import processing.gui.ParametersPanel
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    monkeypatch.setattr(processing.gui.ParametersPanel, "iface", None)
    dialogs = []

    def make(algorithm):
        dialogs.append(AlgorithmDialog(algorithm.create()))
        return dialogs[-1]

    yield make
    for dialog in dialogs:
        dialog.deleteLater()


@pytest.fixture
def layer_tree_view(qgis_iface, monkeypatch):
    """A real layer tree view over the project's layer tree for ``processing.runAndLoadResults``: QGIS 3.44's
    result loading hands ``iface.layerTreeView()`` to C++, and pytest-qgis's stand-in gives a MagicMock there.
    Earlier releases take the stand-in as it is (and a view left for QGIS's exit would crash it there)."""
    from qgis.core import Qgis, QgsLayerTreeModel, QgsProject
    from qgis.gui import QgsLayerTreeView
    if Qgis.QGIS_VERSION_INT < 34400:
        yield None
        return
    model = QgsLayerTreeModel(QgsProject.instance().layerTreeRoot())
    view = QgsLayerTreeView()
    view.setModel(model)
    monkeypatch.setattr(qgis_iface, "layerTreeView", lambda: view, raising=False)
    yield view
    view.setModel(None)
    view.deleteLater()
