"""The Processing models of resources/models, offered by the provider under a human name, with their help, inputs
and outputs in the user's language.

A .model3 holds one name, which is both its id and its title; the file keeps the id (``desert_carbon_chain``:
scripts and qgis_process calls use it) and this class gives the title. The texts are declared here, once, for
`make translations` and for scripts/build_model.py, which writes them into the file.
"""
from qgis.core import QgsProcessingModelAlgorithm
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "BundledModel"
CHAIN_ID = "desert_carbon_chain"
CHAIN_NAME = QT_TRANSLATE_NOOP("BundledModel", "Desert carbon chain: flux, trend, totals and scenario")
CHAIN_HELP = QT_TRANSLATE_NOOP(
    "BundledModel",
    "<p>The review's whole chain in one run: the flux scheme over ERA5 / ERA5-Land forcing gives the annual "
    "CO<sub>2</sub> flux (g CO<sub>2</sub> m⁻² a⁻¹, one band a year; positive = release, negative = "
    "uptake); its per-pixel trend (Mann–Kendall significance, slopes in g CO<sub>2</sub> m⁻² a⁻²); the "
    "totals over the desert polygons in Pg CO<sub>2</sub> a⁻¹, per polygon and year; and a "
    "desertification-control scenario for the intervention polygons (fields <i>practice</i> and "
    "<i>planting_year</i>) over HORIZON years from START_YEAR. Every step uses the bundled default "
    "parameters.</p>"
    "<p><b>Example</b>: the demo's forcing folder, the Taklimakan outline "
    "(resources/geo/taklimakan_desert.geojson) as desert polygons and the demo shelter belt "
    "(resources/demo/demo_shelter_belt.geojson) as interventions, START_YEAR 2023 and HORIZON 30, give the "
    "demo's figures (make demo).</p>"
    "<p><b>Refuses</b> what its steps refuse: forcing with gaps or a grid that changes between files, "
    "polygons without the scenario's fields, an intervention overlapping another. Partial calendar years "
    "are left out; a trend needs at least MIN_VALID_YEARS years.</p>")
# model inputs, in the order the run dialog shows them: (name, description)
CHAIN_INPUTS = (
    ("FORCING", QT_TRANSLATE_NOOP("BundledModel", "ERA5 / ERA5-Land forcing files (NetCDF, GRIB, Zarr or zip)")),
    ("DESERT", QT_TRANSLATE_NOOP("BundledModel", "Desert polygons (totals and scenario region)")),
    ("MIN_VALID_YEARS", QT_TRANSLATE_NOOP("BundledModel", "Minimum number of valid years for a trend")),
    ("INTERVENTIONS", QT_TRANSLATE_NOOP("BundledModel", "Interventions (polygons with practice, planting_year)")),
    ("START_YEAR", QT_TRANSLATE_NOOP("BundledModel", "First year of the scenario")),
    ("HORIZON", QT_TRANSLATE_NOOP("BundledModel", "Scenario horizon (years)")),
)
# model outputs: child id -> ((child output, model output name, description), ...)
CHAIN_OUTPUTS = {
    "fluxscheme": (("OUTPUT", "ANNUAL_FLUX", QT_TRANSLATE_NOOP("BundledModel", "Annual CO2 flux (g CO2 m⁻² a⁻¹)")),),
    "trend": (("OUTPUT", "TREND", QT_TRANSLATE_NOOP("BundledModel", "Per-pixel trend of the annual flux")),),
    "aggregate": (("OUTPUT", "TOTALS", QT_TRANSLATE_NOOP("BundledModel", "Totals per polygon and year (Pg CO2 a⁻¹)")),
                  ("OUTPUT_CSV", "TOTALS_CSV", QT_TRANSLATE_NOOP("BundledModel", "Totals as CSV")),
                  ("OUTPUT_HTML", "TOTALS_HTML", QT_TRANSLATE_NOOP("BundledModel", "Totals summary (HTML)"))),
    "scenario": (("OUTPUT", "SCENARIO", QT_TRANSLATE_NOOP("BundledModel", "Scenario per year (Pg CO2 a⁻¹)")),
                 ("OUTPUT_CSV", "SCENARIO_CSV", QT_TRANSLATE_NOOP("BundledModel", "Scenario as CSV"))),
}
# child id -> the step's title in the modeler
CHAIN_STEPS = {"fluxscheme": QT_TRANSLATE_NOOP("BundledModel", "Annual flux"),
               "trend": QT_TRANSLATE_NOOP("BundledModel", "Trend"),
               "aggregate": QT_TRANSLATE_NOOP("BundledModel", "Totals over the desert"),
               "scenario": QT_TRANSLATE_NOOP("BundledModel", "Desertification-control scenario")}
TITLES = {CHAIN_ID: (CHAIN_NAME, CHAIN_HELP)}


def tr(text):
    return QCoreApplication.translate(CONTEXT, text)


class BundledModel(QgsProcessingModelAlgorithm):
    """A model read from ``path``; its title, help and parameter labels translated."""

    def __init__(self, path):
        super().__init__()
        self.path = str(path)
        self.loaded = self.fromFile(self.path)
        for definition in self.parameterDefinitions():
            definition.setDescription(tr(definition.description()))

    def displayName(self):  # noqa: N802
        title = TITLES.get(self.name())
        return tr(title[0]) if title else super().displayName()

    def shortHelpString(self):  # noqa: N802
        title = TITLES.get(self.name())
        return tr(title[1]) if title else super().shortHelpString()

    def createInstance(self):  # noqa: N802
        # made anew from the file: the copy's steps find the algorithms registered by then
        return BundledModel(self.path)
