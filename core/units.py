"""Physical constants and unit conversions, each defined once (docs/SCIENCE.md section 1)."""

KELVIN = 273.15                                   # K at 0 °C
MOLAR_MASS_CO2 = 44.0095                          # g mol-1
MOLAR_MASS_C = 12.011                             # g mol-1
GRAMS_CO2_PER_UMOL = MOLAR_MASS_CO2 * 1e-6        # g CO2 in one µmol CO2
C_PER_CO2 = MOLAR_MASS_C / MOLAR_MASS_CO2         # g C per g CO2
CO2_PER_C = MOLAR_MASS_CO2 / MOLAR_MASS_C         # g CO2 per g C
UMOL_PER_MG_CO2 = 1e3 / MOLAR_MASS_CO2            # 1 mg CO2 m-2 s-1 = 22.72 µmol m-2 s-1
GRAMS_PER_PG = 1e15
SECONDS_PER_HOUR = 3600
SECONDS_PER_DAY = 86400
DAYS_PER_YEAR = 365.25                            # the year of docs/SCIENCE.md's "sustained for a year"
BYTES_PER_MB = 2**20                              # the MEMORY_MB parameters' megabyte
UMOL_S_PER_G_CO2_DAY = 1e6 / MOLAR_MASS_CO2 / SECONDS_PER_DAY   # 1 g CO2 m-2 d-1 = 0.263 µmol m-2 s-1
UMOL_S_PER_G_C_DAY = 1e6 / MOLAR_MASS_C / SECONDS_PER_DAY       # 1 g C m-2 d-1 = 0.964 µmol CO2 m-2 s-1
