"""Run by `make qgis` inside the QGIS desktop: the demo's results styled, and the dock on its scenario."""
from pathlib import Path

from qgis.core import QgsProject, QgsRasterLayer, QgsVectorLayer
from qgis.utils import iface, plugins

REPOSITORY = Path.cwd()          # `make qgis` starts QGIS from the repository
OUTPUT = REPOSITORY / "demo-output"
annual = QgsRasterLayer(str(OUTPUT / "annual_flux.tif"), "Annual CO2 flux (g CO2 m-2 a-1, SYNTHETIC demo)")
outline = QgsVectorLayer(str(REPOSITORY / "resources" / "geo" / "taklimakan_desert.geojson"),
                         "Taklimakan (Natural Earth)")
outline.renderer().symbol().symbolLayer(0).setBrushStyle(0)     # outline only
belt = QgsVectorLayer(str(REPOSITORY / "resources" / "demo" / "demo_shelter_belt.geojson"), "Demo shelter belt")
QgsProject.instance().addMapLayers([belt, outline, annual])     # the first listed is drawn on top
iface.mapCanvas().setExtent(annual.extent())

plugin = plugins.get("desert_carbon")
dock = plugin.show_dock("scenario") if plugin else None
if dock is not None:
    dock.scenario.table.set_source("file", str(OUTPUT / "scenario.csv"))
    dock.scenario.refresh_columns()
    dock.scenario.polygon_layer.setLayer(belt)
    dock.scenario.id_field.setField("name")
    dock.scenario.open_table()
