<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>AggregateAlgorithm</name>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="18"/>
        <source>Totals over polygons (Pg CO2 per year)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="19"/>
        <source>Trends and totals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="20"/>
        <source>&lt;p&gt;Totals of an annual flux raster (one band per year, g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹, e.g. the output of
&lt;i&gt;fluxscheme&lt;/i&gt;) over polygons: per polygon and per year, Σ flux · true cell area · exact covered fraction ·
mask fraction × 10⁻¹⁵ → &lt;b&gt;Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹&lt;/b&gt; (and Pg C a⁻¹ = × 12.011/44.0095), as the review's
desert-wide total of 1.05e-3 ± 0.96e-3 Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹ for the Taklimakan [R].&lt;/p&gt;
&lt;ul&gt;&lt;li&gt;Cell areas are true areas on the WGS84 ellipsoid, for geographic and projected rasters alike
(within 1e-6 of a geodesic reference, tested).&lt;/li&gt;
&lt;li&gt;Each cell counts with the exact fraction of it inside the polygon (not centre-in-polygon); holes and
multipart polygons are handled; polygons in any CRS are transformed to the raster's CRS (vertices
transformed, edges straight in the raster CRS: densify long edges first); invalid geometries are
repaired with a warning naming the feature.&lt;/li&gt;
&lt;li&gt;MASK: optional mask (0/1) or sand fraction (0..1) that multiplies the cell area; nodata counts as 0.&lt;/li&gt;
&lt;li&gt;ENSEMBLE: optional flux rasters from other parameter sets (same grid and years): their spread is the
parameter uncertainty.&lt;/li&gt;&lt;/ul&gt;
&lt;p&gt;Output table, one row per polygon and year plus a &lt;i&gt;mean&lt;/i&gt; row: total_PgCO2_a, total_PgC_a,
mean_rate_gCO2_m2_a, area_summed_m2, area_masked_m2, area_nodata_m2, area_polygon_m2,
interannual_sd_PgCO2_a, ensemble_sd_PgCO2_a; and the same as CSV and an HTML summary. A polygon outside the
raster gives zero-area rows and a warning. Sums in float64, window by window.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="39"/>
        <source>Annual flux raster (g CO2 m⁻² a⁻¹)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="40"/>
        <source>Polygons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="42"/>
        <source>Polygon name field (empty = feature id)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="45"/>
        <source>Mask or sand fraction (0..1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="47"/>
        <source>Ensemble of flux rasters (parameter uncertainty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="50"/>
        <source>Totals per polygon and year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="52"/>
        <source>Totals as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="54"/>
        <source>Summary (HTML)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DesertCarbonProvider</name>
    <message>
        <location filename="../../processing_provider/provider.py" line="19"/>
        <source>Desert Carbon Sink</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/provider.py" line="22"/>
        <source>Desert Carbon Sink: CO2 flux of shifting sand</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FluxSchemeAlgorithm</name>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="20"/>
        <source>Flux scheme (annual CO2 flux of shifting sand)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="21"/>
        <source>Flux</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="22"/>
        <source>&lt;p&gt;Estimates the CO&lt;sub&gt;2&lt;/sub&gt; flux of shifting sand, Rs = R1 + R2 + R3 (µmol m⁻² s⁻¹,
positive = release, negative = uptake), at every time step of a forcing stack, and writes its annual
sums in &lt;b&gt;g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹&lt;/b&gt;, one band per calendar year (band description = year).&lt;/p&gt;
&lt;ul&gt;
&lt;li&gt;&lt;b&gt;R1&lt;/b&gt; heat-driven: k1·(ΔT − ΔT0) + k2·dT̄/dt, ΔT = T0 − T10, T̄ = (T0+T10)/2, dT̄/dt in K h⁻¹ (centred difference).&lt;/li&gt;
&lt;li&gt;&lt;b&gt;R2&lt;/b&gt; moisture-activated: 0 up to θc = 0.05 m³ m⁻³ [R], then min(3.68 [R], a2·((θ10−θc)/(θref−θc))^p·Q10w^((T10−25)/10)).&lt;/li&gt;
&lt;li&gt;&lt;b&gt;R3&lt;/b&gt; soil properties (SOC, pH, salt; off by default): aC·(SOC−SOCref)·Q10c^((T10−20)/10) − [aP·(pH−pHref) + aS·(Salt−Saltref)]·K0(T10)/K0(20 °C), K0 after Weiss (1974) [L].&lt;/li&gt;
&lt;/ul&gt;
&lt;p&gt;&lt;b&gt;Forcing&lt;/b&gt;: either ERA5 / ERA5-Land hourly NetCDF files (FORCING; GRIB is refused with the command that converts it; variables skt, stl1, stl2,
swvl1, swvl2; T10 and θ10 interpolated linearly between the layer midpoints 3.5 and 17.5 cm), or three
time-stacked rasters T0, T10 (°C or K) and VWC10 (m³ m⁻³), one band per step, the time of each band in its
description (ISO 8601, e.g. 2017-07-01T13:00) or given by START and STEP_HOURS. Any regular step; gaps,
non-increasing times, kelvin declared as °C and VWC outside 0–1 are refused with the file named.&lt;/p&gt;
&lt;p&gt;&lt;b&gt;Static inputs&lt;/b&gt;: SOC (g kg⁻¹), PH, SALT (g kg⁻¹) rasters, needed only when the parameter file switches
R3 on; MASK (shifting-sand mask or fraction: cells at 0 or nodata are left out). They are resampled to the
forcing grid when their grid differs, with a warning.&lt;/p&gt;
&lt;p&gt;&lt;b&gt;PARAMETERS&lt;/b&gt;: a JSON parameter file (value, unit, bounds and provenance per coefficient: [R] review,
[L] literature, [P] provisional, [C] calibrated); empty = the bundled defaults. Coefficients fitted at one
time step are refused at another.&lt;/p&gt;
&lt;p&gt;&lt;b&gt;Outputs&lt;/b&gt;: OUTPUT (annual Rs sums), optional OUTPUT_COMPONENTS (R1_year, R2_year, R3_year bands) and
OUTPUT_REGIMES (fraction of valid steps in the uptake season — daily-mean ΔT below 0.8 K [R] —, the release
season, and the moisture-activated regime θ10 &gt; θc [R]). A cell-year with any missing step is nodata.
Partial calendar years are left out unless INCLUDE_PARTIAL_YEARS is set, then flagged PARTIAL_YEAR=yes.&lt;/p&gt;
&lt;p&gt;Runs window by window within MEMORY_MB; cancel stops it and leaves no output file.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="48"/>
        <source>ERA5 / ERA5-Land forcing files (NetCDF)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="55"/>
        <source>Unit of the T0 and T10 stacks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="57"/>
        <source>Time of the first band (ISO 8601), if band descriptions carry no time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="60"/>
        <source>Step between bands (hours), with START</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="67"/>
        <source>Parameter file (JSON; empty = bundled defaults)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="70"/>
        <source>Include partial years (flagged)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="73"/>
        <source>Linear scaling of θ10 (station-based bias correction)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="75"/>
        <source>Working memory budget (MB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="79"/>
        <source>Annual CO2 flux (g CO2 m⁻² a⁻¹)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="81"/>
        <source>Annual R1, R2, R3 sums</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="83"/>
        <source>Regime fractions</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrendAlgorithm</name>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="16"/>
        <source>Per-pixel trend (OLS, Theil–Sen, Mann–Kendall)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="17"/>
        <source>Trends and totals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="18"/>
        <source>&lt;p&gt;Per-pixel trend of a multiband raster with one band per year, e.g. the annual fluxes of
&lt;i&gt;fluxscheme&lt;/i&gt; (g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹), as in the review's trend map k&lt;sub&gt;rs&lt;/sub&gt; with p &amp;lt; 0.05 [R].&lt;/p&gt;
&lt;p&gt;Output bands (named in the band descriptions): &lt;b&gt;ols_slope&lt;/b&gt; (input units per year, e.g. g CO&lt;sub&gt;2&lt;/sub&gt;
m⁻² a⁻²) and &lt;b&gt;ols_p&lt;/b&gt; (two-sided t-test); &lt;b&gt;sen_slope&lt;/b&gt; (Theil–Sen, median of pairwise slopes);
&lt;b&gt;mk_p&lt;/b&gt; (Mann–Kendall, tie-corrected variance, continuity correction) and &lt;b&gt;kendall_tau&lt;/b&gt;;
&lt;b&gt;significance&lt;/b&gt;: −3/−2/−1 for a decrease significant at 99/95/90 %, +1/+2/+3 for an increase, 0 = none
(the Trends.Earth convention), from the Mann–Kendall p and the sign of S (or from the OLS p and slope);
&lt;b&gt;n_valid&lt;/b&gt;, the number of years with a value.&lt;/p&gt;
&lt;p&gt;Years come from the band descriptions (e.g. 2017) or FIRST_YEAR; gaps (nodata) are skipped per pixel,
non-consecutive years keep their real values on the x axis. Pixels with fewer than MIN_VALID_YEARS values are
nodata. CORRECTION for serially correlated series: Yue–Wang pre-whitening or the Hamed–Rao variance
correction, as in pymannkendall [L]. Agrees per pixel with scipy.stats.linregress, theilslopes and
pymannkendall to 1e-9 (tested). Vectorised, window by window; cancel leaves no output.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="33"/>
        <source>Annual raster (one band per year)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="34"/>
        <source>Year of band 1 (empty = read from band descriptions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="37"/>
        <source>Minimum number of valid years</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="40"/>
        <source>Correction for serial correlation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="43"/>
        <source>Significance code from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="45"/>
        <source>Significance level of the autocorrelation test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="48"/>
        <source>Working memory budget (MB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="52"/>
        <source>Trend</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
