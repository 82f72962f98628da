import pytest

import desert_carbon


@pytest.fixture
def provider(qgis_processing):
    """The plugin's provider registered for one test, as QGIS registers it."""
    plugin = desert_carbon.classFactory(None)
    plugin.initProcessing()
    yield plugin.provider
    plugin.unload()
