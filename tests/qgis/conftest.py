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
