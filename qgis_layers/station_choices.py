"""How a station table is read, as choices a QGIS user makes: the same lists in the Processing dialogs (STEP,
FLUX_UNIT, PORTS) and in the dock's station tab, and the one place their choices become reader options."""
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.stations import FLUX_UNIT_LABELS, parse_ports

# The STEP options and the core reader's step for each, in this order: irregular samples (an automated
# chamber's own cycle) are averaged into steps; "none" refuses a table that is not regular.
STEP_CHOICES = ((QT_TRANSLATE_NOOP("DesertCarbonAlgorithm",
                                   "auto: the table's step if half-hourly, hourly or daily, else hourly"), "auto"),
                (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "hourly (mean of the samples in each hour)"), 3600),
                (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "half-hourly (mean of the samples in each half hour)"),
                 1800),
                (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "daily (mean of the samples in each day)"), 86400),
                (QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "none: regular half-hourly, hourly or daily tables only"),
                 None))
# The FLUX_UNIT options and the reader's unit of each: auto takes the file's (COSORE CSR_COLUMN_UNITS.csv;
# AmeriFlux and FLUXNET half-hourly FC in µmol m⁻² s⁻¹, FLUXNET daily NEE in g C m⁻² d⁻¹).
FLUX_UNIT_CHOICES = ((QT_TRANSLATE_NOOP("DesertCarbonAlgorithm", "auto: as the file says"), None),) + tuple(
    (label, key) for key, label in FLUX_UNIT_LABELS.items())


def reading_options(step_index: int, flux_unit_index: int, ports_text: str, ports_name: str = "PORTS",
                    step_name: str = "STEP") -> dict:
    """The reader's options for the chosen step, flux unit and ports; a unit chosen by the user turns the magnitude
    check into a warning (the user has said what the column holds)."""
    options = {"step": STEP_CHOICES[step_index][1], "step_parameter": step_name,
               "port": parse_ports(ports_text, ports_name)}
    unit = FLUX_UNIT_CHOICES[flux_unit_index][1]
    if unit is not None:
        options["units"] = {"fc": unit}
        options["check_flux_magnitude"] = "warn"
    return options
