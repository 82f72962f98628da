"""Run by `make qgis` inside the QGIS desktop: load the demo result (styled by its .qml) and the outline."""
from pathlib import Path

from qgis.core import QgsProject, QgsRasterLayer, QgsVectorLayer
from qgis.utils import iface

REPOSITORY = Path.cwd()          # `make qgis` starts QGIS from the repository
annual = QgsRasterLayer(str(REPOSITORY / "demo-output" / "annual_flux.tif"), "Annual CO2 flux (g CO2 m-2 a-1, SYNTHETIC demo)")
outline = QgsVectorLayer(str(REPOSITORY / "resources" / "geo" / "taklimakan_desert.geojson"), "Taklimakan (Natural Earth)")
outline.renderer().symbol().symbolLayer(0).setBrushStyle(0)     # outline only
QgsProject.instance().addMapLayers([outline, annual])      # the first listed is drawn on top
iface.mapCanvas().setExtent(annual.extent())
