"""The practices table: the bundled figures, growth curves, and unit and provenance checks on load."""
import csv
import math

import numpy as np
import pytest

from desert_carbon.core.errors import InputError
from desert_carbon.core.practices import COLUMN_UNITS, CO2_PER_C, DEFAULT_PRACTICES, find_practice, load_practices

HEADER = list(COLUMN_UNITS)
UNITS = ["-", "-", "-", "rate_unit", "rate_unit", "rate_unit", "a", "-", "1", "m3 ha-1 a-1", "mm", "mm", "mm",
         "m3 m-3", "-", "-"]
FOREST = dict(practice="forest", name="Forest", rate_unit="g CO2 m-2 a-1", mature_rate="-1000", rate_min="-1200",
              rate_max="-800", years_to_maturity="10", growth_curve="linear", growth_shape="", water_need="3000",
              provenance="mature_rate [R]; rate_min [P]; rate_max [P]; years_to_maturity [P]; water_need [P]",
              sources="test")


def write_table(path, rows, units=UNITS, header=HEADER, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerow(units)
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])
    return path


def test_the_bundled_table_holds_the_reviews_figures_with_their_provenance():
    practices = load_practices()
    assert set(practices) >= {"shifting_sand", "shelter_forest", "haloxylon_plantation"}
    assert practices["shifting_sand"].is_baseline
    forest = practices["shelter_forest"]
    assert forest.mature_rate == -1000.0 and forest.provenance["mature_rate"] == "R"
    assert (forest.rain_no_effect_below, forest.rain_uptake_near, forest.rain_release_above) == (2.0, 4.0, 8.0)
    assert forest.rain_soil_moisture_5cm == 0.12 and forest.provenance["rain_soil_moisture_5cm"] == "R"
    haloxylon = practices["haloxylon_plantation"]
    assert haloxylon.mature_rate == pytest.approx(-434 * 44.0095 / 12.011, rel=1e-15)   # g C -> g CO2
    for practice in practices.values():
        if not practice.is_baseline:
            assert practice.rate_min <= practice.mature_rate <= practice.rate_max
            assert practice.provenance["water_need"] == "P" and practice.provenance["rate_min"] == "P"
    assert find_practice(practices, " Shelter_Forest ") is forest


def test_growth_curves_run_from_zero_at_planting_to_one_at_maturity():
    practices = load_practices()
    forest = practices["shelter_forest"]          # logistic, 12 years, steepness 6
    ages = np.arange(-2, 20)
    growth = forest.growth(ages)
    assert growth[ages <= 0].max() == 0.0 and growth[ages >= 12].min() == 1.0
    assert np.all(np.diff(growth) >= 0)
    assert forest.growth(6) == pytest.approx(0.5, abs=1e-15)

    def sigmoid(z):
        return 1 / (1 + math.exp(-z))
    by_hand = (sigmoid(6 * (3 / 12 - 0.5)) - sigmoid(-3)) / (sigmoid(3) - sigmoid(-3))
    assert forest.growth(3) == pytest.approx(by_hand, rel=1e-14)


def test_linear_growth_and_unit_conversions(tmp_path):
    rows = [FOREST, dict(FOREST, practice="shrub", rate_unit="g C m-2 a-1", mature_rate="-100", rate_min="-150",
                         rate_max="-50")]
    units = list(UNITS)
    units[HEADER.index("water_need")] = "mm a⁻¹"          # typed with superscripts, converted to m³ ha-1 a-1
    units[HEADER.index("years_to_maturity")] = "yr"
    practices = load_practices(write_table(tmp_path / "p.csv", rows, units))
    forest, shrub = practices["forest"], practices["shrub"]
    np.testing.assert_array_equal(forest.growth([0, 1, 5, 10, 30]), [0, 0.1, 0.5, 1, 1])
    assert forest.water_need == 30000.0                    # 3000 mm a-1 = 30 000 m³ ha-1 a-1
    assert shrub.mature_rate == pytest.approx(-100 * CO2_PER_C) and shrub.rate_max == pytest.approx(-50 * CO2_PER_C)


def test_a_semicolon_separated_table_from_a_spreadsheet_loads(tmp_path):
    path = write_table(tmp_path / "p.csv", [FOREST], delimiter=";")
    assert load_practices(path)["forest"].mature_rate == -1000.0


@pytest.mark.parametrize("change, where", [
    (dict(units={"water_need": "litres"}), "row 2 (units), column water_need: unit 'litres'"),
    (dict(units={"mature_rate": "g CO2 m-2 a-1"}), "row 2 (units), column mature_rate"),
    (dict(row={"rate_unit": "kg CO2 ha-1 a-1"}), "row 3 (forest), column rate_unit"),
    (dict(row={"rate_min": "lots"}), "row 3 (forest), column rate_min: 'lots' is not a number"),
    (dict(row={"rate_max": "-1100"}), "row 3 (forest), column rate_min: the range"),
    (dict(row={"water_need": ""}), "row 3 (forest), column water_need: is empty"),
    (dict(row={"provenance": "mature_rate [R]"}), "column provenance: gives no [R], [L] or [P] for rate_min"),
    (dict(row={"provenance": FOREST["provenance"] + "; water [X]"}), "column provenance: 'water [X]'"),
    (dict(row={"growth_curve": "logistic"}), "column growth_shape: is empty"),
    (dict(row={"growth_curve": "sigmoid"}), "column growth_curve: 'sigmoid'"),
    (dict(row={"rain_no_effect_below": "5", "rain_uptake_near": "4", "provenance": FOREST["provenance"]
               + "; rain_no_effect_below [R]; rain_uptake_near [R]"}), "column rain_uptake_near: rain thresholds"),
    (dict(row={"practice": "shelter forest"}), "column practice: 'shelter forest' is not an id"),
])
def test_errors_name_the_file_row_and_column(tmp_path, change, where):
    units = [change.get("units", {}).get(name, unit) for name, unit in zip(HEADER, UNITS)]
    path = write_table(tmp_path / "bad.csv", [dict(FOREST, **change.get("row", {}))], units)
    with pytest.raises(InputError) as error:
        load_practices(path)
    assert str(path) in str(error.value) and where in str(error.value)


def test_missing_columns_and_repeated_practices_are_refused(tmp_path):
    header = [name for name in HEADER if name != "water_need"]
    units = [unit for name, unit in zip(HEADER, UNITS) if name != "water_need"]
    with pytest.raises(InputError, match=r"row 1: missing columns \['water_need'\]"):
        load_practices(write_table(tmp_path / "a.csv", [FOREST], units, header))
    with pytest.raises(InputError, match="row 4, column practice: 'Forest' is listed twice"):
        load_practices(write_table(tmp_path / "b.csv", [FOREST, dict(FOREST, practice="Forest")]))
    with pytest.raises(InputError, match="does not exist"):
        load_practices(tmp_path / "none.csv")


def test_the_bundled_table_is_the_default():
    assert DEFAULT_PRACTICES.name == "practices.csv" and DEFAULT_PRACTICES.exists()
