"""The provider on real QGIS: registered by the plugin, every algorithm valid and documented."""
from qgis.core import QgsApplication, QgsProcessingModelAlgorithm

import desert_carbon
from desert_carbon.processing_provider.base import DesertCarbonAlgorithm

MAIN_PARAMETERS = {
    "fluxscheme": {"FORCING", "T0", "T10", "VWC10", "SOC", "PH", "SALT", "MASK", "PARAMETERS", "OUTPUT",
                   "OUTPUT_COMPONENTS"},
    "calibrate": {"STATION", "OUTPUT"},
    "openpathcorrection": {"INPUT", "REFERENCE", "OUTPUT"},
    "trend": {"INPUT", "FIRST_YEAR", "OUTPUT"},
    "aggregate": {"INPUT", "POLYGONS", "MASK", "OUTPUT"},
    "scenario": {"BASELINE", "INTERVENTIONS", "PRACTICES", "HORIZON", "OUTPUT"},
    "siting": {"PRACTICE", "BASELINE", "CONSTRAINT_RASTERS", "OUTPUT"},
}


def test_plugin_registers_and_unregisters_the_provider(qgis_iface, qgis_processing):
    plugin = desert_carbon.classFactory(qgis_iface)
    plugin.initGui()
    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("desertcarbon")
    assert provider is not None
    ids = {a.id() for a in provider.algorithms()}
    assert {f"desertcarbon:{name}" for name in MAIN_PARAMETERS} <= ids
    assert len(plugin.actions) == len(ids)
    plugin.unload()
    assert registry.providerById("desertcarbon") is None
    assert plugin.actions == []


def test_plugin_without_iface_gives_the_provider_only(qgis_processing):
    plugin = desert_carbon.classFactory(None)
    plugin.initProcessing()
    plugin.initGui()          # qgis_process calls only initProcessing; initGui must not need iface either
    assert QgsApplication.processingRegistry().providerById("desertcarbon") is not None
    assert plugin.actions == []
    plugin.unload()
    assert QgsApplication.processingRegistry().providerById("desertcarbon") is None


def test_every_algorithm_is_documented_and_its_parameters_valid(qgis_processing):
    plugin = desert_carbon.classFactory(None)
    plugin.initProcessing()
    try:
        algorithms = [a for a in plugin.provider.algorithms() if isinstance(a, DesertCarbonAlgorithm)]
        assert {a.name() for a in algorithms} == set(MAIN_PARAMETERS)
        models = [a for a in plugin.provider.algorithms() if isinstance(a, QgsProcessingModelAlgorithm)]
        assert [m.name() for m in models] == ["desert_carbon_chain"]
        assert all("flux scheme" in m.shortHelpString() for m in models)
        for algorithm in algorithms:
            assert len(algorithm.shortHelpString()) > 200, algorithm.id()
            assert algorithm.helpUrl().endswith(f"desertcarbon{algorithm.name()}")
            assert algorithm.group() and algorithm.displayName()
            names = {p.name() for p in algorithm.parameterDefinitions()}
            assert MAIN_PARAMETERS[algorithm.name()] <= names
            for definition in algorithm.parameterDefinitions():
                assert definition.description(), definition.name()
            copy = algorithm.create()
            assert copy.id() == algorithm.id() and copy.parameterDefinitions()
    finally:
        plugin.unload()
