<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>@default</name>
    <message>
        <location filename="../../plugin/dependencies.py" line="39"/>
        <source>The Python package {package} is missing from QGIS's Python; {needs} need it. Install it with: {command} — then restart QGIS.</source>
        <translation>QGIS 的 Python 环境中缺少 Python 包 {package}；{needs}需要它。请用以下命令安装：{command}，然后重启 QGIS。</translation>
    </message>
</context>
<context>
    <name>AggregateAlgorithm</name>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="18"/>
        <source>Totals over polygons (Pg CO2 per year)</source>
        <translation>多边形区域总量（每年 Pg CO2）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="19"/>
        <source>Trends and totals</source>
        <translation>趋势与总量</translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="55"/>
        <source>Annual flux raster (g CO2 m⁻² a⁻¹)</source>
        <translation>年通量栅格（g CO2 m⁻² a⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="56"/>
        <source>Polygons</source>
        <translation>多边形</translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="58"/>
        <source>Polygon name field (empty = feature id)</source>
        <translation>多边形名称字段（留空 = 要素 ID）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="61"/>
        <source>Mask or sand fraction (0..1)</source>
        <translation>掩膜或沙地比例（0..1）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="63"/>
        <source>Ensemble of flux rasters (parameter uncertainty)</source>
        <translation>通量栅格集合（参数不确定性）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="68"/>
        <source>Totals per polygon and year</source>
        <translation>各多边形逐年总量</translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="70"/>
        <source>Totals as CSV</source>
        <translation>总量（CSV）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="72"/>
        <source>Summary (HTML)</source>
        <translation>摘要（HTML）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="63"/>
        <source>…or an ensemble folder (fluxscheme's OUTPUT_ENSEMBLE)</source>
        <translation>……或集合文件夹（fluxscheme 的 OUTPUT_ENSEMBLE）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/aggregate_algorithm.py" line="20"/>
        <source>&lt;p&gt;Totals of an annual flux raster (one band per year, g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹, e.g. the output of &lt;i&gt;fluxscheme&lt;/i&gt;) over polygons, per polygon and year: Σ flux · true cell area · exact covered fraction · mask fraction × 10⁻¹⁵ → &lt;b&gt;Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹&lt;/b&gt; (and Pg C a⁻¹ = × 12.011/44.0095), the unit of the review's desert-wide total, 1.05e-3 ± 0.96e-3 Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹ for the Taklimakan [R].&lt;/p&gt;&lt;p&gt;&lt;b&gt;How.&lt;/b&gt; Cell areas are true areas on the WGS84 ellipsoid for geographic and projected rasters alike; each cell counts with the exact fraction of it inside the polygon (not centre-in-polygon); holes and multipart polygons are handled; polygons in any CRS are transformed to the raster's (vertices transformed, edges straight there: densify long edges first); invalid geometries are repaired with a warning naming the feature. MASK: an optional 0/1 mask or sand fraction 0–1 that multiplies the cell area (nodata counts as 0). ENSEMBLE: optional flux rasters from other parameter sets on the same grid and years, or ENSEMBLE_FOLDER, the folder fluxscheme writes as OUTPUT_ENSEMBLE. Sums in float64, window by window, in this process or, with CLUSTER (local:N or a Dask scheduler's tcp:// address), as tasks on Dask workers, to the same bits.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Uncertainty&lt;/b&gt;, three parts reported apart and combined: the parameter spread (ensemble_sd_PgCO2_a and the 5–95 % range ensemble_p05/p95 of the members' totals), the interannual sd of the yearly totals (interannual_sd_PgCO2_a), and combined_uncertainty_PgCO2_a: the parameter sd for a year, √(parameter sd² + interannual sd²) for the mean over years. The log and the HTML give per polygon one line to copy: mean ± combined, with its parts named.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Outputs.&lt;/b&gt; OUTPUT, a table with one row per polygon and year and a &lt;i&gt;mean&lt;/i&gt; row: total_PgCO2_a, total_PgC_a, mean_rate_gCO2_m2_a, area_summed_m2, area_masked_m2, area_nodata_m2, area_polygon_m2, interannual_sd_PgCO2_a, ensemble_sd_PgCO2_a, ensemble_p05_PgCO2_a, ensemble_p95_PgCO2_a, ensemble_members, combined_uncertainty_PgCO2_a; the same as CSV (OUTPUT_CSV) and an HTML summary (OUTPUT_HTML). ID_FIELD names the polygons (empty = feature id).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Example.&lt;/b&gt; A constant flux of −5 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹ over a polygon of 10,000 km² gives −5 × 10¹⁰ m² × 10⁻¹⁵ = −5e-5 Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹ for every year.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Refuses&lt;/b&gt; (naming the file): a raster without a coordinate reference system; band descriptions that repeat a year; a MASK with values outside 0–1 (percent: divide by 100); an ENSEMBLE of one raster (or a folder with fewer than two GeoTIFFs), or members on another grid or with another number of bands. A polygon outside the raster gives zero-area rows and a warning naming it.&lt;/p&gt;</source>
        <translation>&lt;p&gt;统计年通量栅格（每年一个波段，g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹，例如 &lt;i&gt;fluxscheme&lt;/i&gt; 的输出）在多边形内各多边形、各年份的总量：Σ 通量 · 像元真实面积 · 精确覆盖比例 · 掩膜比例 × 10⁻¹⁵ → &lt;b&gt;Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹&lt;/b&gt;（以及 Pg C a⁻¹ = × 12.011/44.0095），即综述中荒漠总量所用的单位：塔克拉玛干为 1.05e-3 ± 0.96e-3 Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹ [R]。&lt;/p&gt;&lt;p&gt;&lt;b&gt;方法。&lt;/b&gt;无论地理坐标还是投影坐标的栅格，像元面积均为 WGS84 椭球面上的真实面积；每个像元按其落在多边形内的精确比例计入（而非像元中心是否在多边形内）；支持内环和多部件多边形；任意 CRS 的多边形都会转换到栅格的 CRS（转换顶点，边在栅格 CRS 中为直线：长边请先加密）；无效几何会被修复，并给出指明要素的警告。MASK：可选的 0/1 掩膜或 0–1 的沙地比例，与像元面积相乘（无数据按 0 计）。ENSEMBLE：可选的、由其他参数组得到的通量栅格，网格和年份须相同；或 ENSEMBLE_FOLDER，即 fluxscheme 以 OUTPUT_ENSEMBLE 写出的文件夹。以 float64 逐窗口求和，可在本进程中进行，也可通过 CLUSTER（local:N 或 Dask 调度器的 tcp:// 地址）作为 Dask 工作进程上的任务进行，结果逐位相同。&lt;/p&gt;&lt;p&gt;&lt;b&gt;不确定性&lt;/b&gt;分三部分分别报告并合成：参数离散度（ensemble_sd_PgCO2_a，以及成员总量的 5–95 % 范围 ensemble_p05/p95）、逐年总量的年际标准差（interannual_sd_PgCO2_a），以及 combined_uncertainty_PgCO2_a：对单一年份为参数标准差，对多年平均为 √(参数 sd² + 年际 sd²)。日志和 HTML 为每个多边形给出一行可直接复制的结果：均值 ± 合成不确定性，并列出其各组成部分。&lt;/p&gt;&lt;p&gt;&lt;b&gt;输出。&lt;/b&gt;OUTPUT，每个多边形每年一行，另加一行 &lt;i&gt;mean&lt;/i&gt;：total_PgCO2_a、total_PgC_a、mean_rate_gCO2_m2_a、area_summed_m2、area_masked_m2、area_nodata_m2、area_polygon_m2、interannual_sd_PgCO2_a、ensemble_sd_PgCO2_a、ensemble_p05_PgCO2_a、ensemble_p95_PgCO2_a、ensemble_members、combined_uncertainty_PgCO2_a；同样内容的 CSV（OUTPUT_CSV）和 HTML 摘要（OUTPUT_HTML）。ID_FIELD 为多边形命名（留空 = 要素 ID）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;示例。&lt;/b&gt;在面积为 10,000 km² 的多边形上，恒定通量 −5 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹ 每年给出 −5 × 10¹⁰ m² × 10⁻¹⁵ = −5e-5 Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹。&lt;/p&gt;&lt;p&gt;&lt;b&gt;拒绝以下输入&lt;/b&gt;（并指明文件）：没有坐标参考系的栅格；波段描述中年份重复；MASK 的值超出 0–1（若为百分数请除以 100）；只有一个栅格的 ENSEMBLE（或 GeoTIFF 少于两个的文件夹），或成员的网格不同、波段数不同。位于栅格之外的多边形得到面积为零的行，并给出指明该多边形的警告。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>BundledModel</name>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="13"/>
        <source>Desert carbon chain: flux, trend, totals and scenario</source>
        <translation>荒漠碳汇流程：通量、趋势、总量与情景</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="31"/>
        <source>ERA5 / ERA5-Land forcing files (NetCDF, GRIB, Zarr or zip)</source>
        <translation>ERA5 / ERA5-Land 驱动数据文件（NetCDF、GRIB、Zarr 或 zip）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="31"/>
        <source>Desert polygons (totals and scenario region)</source>
        <translation>荒漠多边形（总量统计与情景区域）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="31"/>
        <source>Minimum number of valid years for a trend</source>
        <translation>计算趋势所需的最少有效年数</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="31"/>
        <source>Interventions (polygons with practice, planting_year)</source>
        <translation>治理地块（含 practice、planting_year 字段的多边形）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="31"/>
        <source>First year of the scenario</source>
        <translation>情景起始年份</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="31"/>
        <source>Scenario horizon (years)</source>
        <translation>情景时长（年）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="41"/>
        <source>Annual CO2 flux (g CO2 m⁻² a⁻¹)</source>
        <translation>年 CO2 通量（g CO2 m⁻² a⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="42"/>
        <source>Per-pixel trend of the annual flux</source>
        <translation>年通量的逐像元趋势</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="43"/>
        <source>Totals per polygon and year (Pg CO2 a⁻¹)</source>
        <translation>各多边形逐年总量（Pg CO2 a⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="43"/>
        <source>Totals as CSV</source>
        <translation>总量（CSV）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="43"/>
        <source>Totals summary (HTML)</source>
        <translation>总量摘要（HTML）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="46"/>
        <source>Scenario per year (Pg CO2 a⁻¹)</source>
        <translation>逐年情景（Pg CO2 a⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="46"/>
        <source>Scenario as CSV</source>
        <translation>情景（CSV）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="50"/>
        <source>Annual flux</source>
        <translation>年通量</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="51"/>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="52"/>
        <source>Totals over the desert</source>
        <translation>荒漠区总量</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="53"/>
        <source>Desertification-control scenario</source>
        <translation>荒漠化防治情景</translation>
    </message>
    <message>
        <location filename="../../processing_provider/bundled_model.py" line="14"/>
        <source>&lt;p&gt;The review's whole chain in one run: the flux scheme over ERA5 / ERA5-Land forcing gives the annual CO&lt;sub&gt;2&lt;/sub&gt; flux (g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹, one band a year; positive = release, negative = uptake); its per-pixel trend (Mann–Kendall significance, slopes in g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻²); the totals over the desert polygons in Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹, per polygon and year; and a desertification-control scenario for the intervention polygons (fields &lt;i&gt;practice&lt;/i&gt; and &lt;i&gt;planting_year&lt;/i&gt;) over HORIZON years from START_YEAR. Every step uses the bundled default parameters.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Example&lt;/b&gt;: the demo's forcing folder, the Taklimakan outline (resources/geo/taklimakan_desert.geojson) as desert polygons and the demo shelter belt (resources/demo/demo_shelter_belt.geojson) as interventions, START_YEAR 2023 and HORIZON 30, give the demo's figures (make demo).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Refuses&lt;/b&gt; what its steps refuse: forcing with gaps or a grid that changes between files, polygons without the scenario's fields, an intervention overlapping another. Partial calendar years are left out; a trend needs at least MIN_VALID_YEARS years.&lt;/p&gt;</source>
        <translation>&lt;p&gt;一次运行综述的完整流程：以 ERA5 / ERA5-Land 为驱动数据运行通量方案，得到年 CO&lt;sub&gt;2&lt;/sub&gt; 通量（g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹，每年一个波段；正值 = 释放，负值 = 吸收）；计算其逐像元趋势（Mann–Kendall 显著性，斜率单位 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻²）；统计荒漠多边形内各多边形逐年的总量，单位 Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹；并对治理地块（字段 &lt;i&gt;practice&lt;/i&gt; 和 &lt;i&gt;planting_year&lt;/i&gt;）运行荒漠化防治情景，从 START_YEAR 起共 HORIZON 年。各步骤均使用内置默认参数。&lt;/p&gt;&lt;p&gt;&lt;b&gt;示例&lt;/b&gt;：以示例的驱动数据文件夹、塔克拉玛干轮廓（resources/geo/taklimakan_desert.geojson）作为荒漠多边形、示例防护林带（resources/demo/demo_shelter_belt.geojson）作为治理地块，START_YEAR 为 2023，HORIZON 为 30，即得到示例的结果（make demo）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;拒绝&lt;/b&gt;其各步骤所拒绝的输入：有时间缺口或网格在文件之间变化的驱动数据，缺少情景所需字段的多边形，与其他地块重叠的治理地块。不完整的日历年被排除；趋势至少需要 MIN_VALID_YEARS 年。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>CalibrateAlgorithm</name>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="21"/>
        <source>Calibrate the flux scheme to a station</source>
        <translation>用站点数据率定通量方案</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="22"/>
        <source>Station data</source>
        <translation>站点数据</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="73"/>
        <source>Station table (CSV: AmeriFlux BASE, FLUXNET2015, COSORE or mapped)</source>
        <translation>站点数据表（CSV：AmeriFlux BASE、FLUXNET2015、COSORE 或自定义列映射）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="76"/>
        <source>…or a station table layer loaded in QGIS</source>
        <translation>…或已加载到 QGIS 中的站点表图层</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="89"/>
        <source>Starting parameter file with bounds (JSON; empty = bundled defaults)</source>
        <translation>带取值范围的初始参数文件（JSON；留空 = 内置默认值）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="92"/>
        <source>Bootstrap replicates</source>
        <translation>自助法（bootstrap）重复次数</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="94"/>
        <source>COSORE chamber port (one number; older form of PORTS)</source>
        <translation>COSORE 气室端口（单个编号；PORTS 的旧写法）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="94"/>
        <source>Weight of the annual-sum penalty</source>
        <translation>年总量惩罚项权重</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="106"/>
        <source>Calibrated parameter file</source>
        <translation>率定后的参数文件</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="108"/>
        <source>Calibration report</source>
        <translation>率定报告</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="110"/>
        <source>Held-out RMSE of the fit (µmol m⁻² s⁻¹)</source>
        <translation>拟合结果的留出验证 RMSE（µmol m⁻² s⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="83"/>
        <source>…or several stations: a list (CSV: station, file, soc, ph, salt)</source>
        <translation>……或多个站点：站点列表（CSV：station、file、soc、ph、salt）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="86"/>
        <source>Site's θc, m³ m⁻³ (empty = fitted within the bounds)</source>
        <translation>站点的 θc，m³ m⁻³（留空 = 在取值范围内拟合）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="94"/>
        <source>Fit R3 as the site amplitudes A, B and Q10c</source>
        <translation>将 R3 拟合为站点振幅 A、B 和 Q10c</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="112"/>
        <source>Held-out RMSE of the starting coefficients (µmol m⁻² s⁻¹)</source>
        <translation>初始系数的留出验证 RMSE（µmol m⁻² s⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="114"/>
        <source>Held-out RMSE of the null model, the training mean (µmol m⁻² s⁻¹)</source>
        <translation>零模型（训练集均值）的留出验证 RMSE（µmol m⁻² s⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="116"/>
        <source>Held-out RMSE of the Q10 × moisture model (µmol m⁻² s⁻¹)</source>
        <translation>Q10 × 水分模型的留出验证 RMSE（µmol m⁻² s⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/calibrate_algorithm.py" line="23"/>
        <source>&lt;p&gt;Fits the coefficients of the flux scheme Rs = R1 + R2 + R3 (µmol CO&lt;sub&gt;2&lt;/sub&gt; m⁻² s⁻¹; positive = release) to a station's measured CO&lt;sub&gt;2&lt;/sub&gt; flux Fc and writes a &lt;b&gt;parameter file&lt;/b&gt; (JSON) that &lt;i&gt;fluxscheme&lt;/i&gt; takes unchanged, and an HTML &lt;b&gt;report&lt;/b&gt;.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Station table.&lt;/b&gt; STATION (a CSV file) or STATION_TABLE (a table layer). AmeriFlux BASE, FLUXNET2015 and COSORE tables are recognised (FORMAT auto); any other CSV needs MAPPING, a JSON object from the plugin's columns fc (µmol m⁻² s⁻¹), t0 (surface soil temperature, °C), t10 (°C) and theta10 (m³ m⁻³) to a column, a weighted mix or depths to interpolate, and TIME_COLUMN, the start of each interval. T0 is needed: with one soil temperature mapped to both T0 and T10, ΔT = 0, the ΔT terms are dropped (k1 = 0) and the log says so. STEP averages irregular samples (a chamber's own cycle) into hourly, half-hourly or daily steps; PORTS chooses COSORE chamber ports (e.g. 1-4 or 1,3; leave trenched ports out); FLUX_UNIT is the unit of the flux column (µmol CO&lt;sub&gt;2&lt;/sub&gt; m⁻² s⁻¹, mg CO&lt;sub&gt;2&lt;/sub&gt; m⁻² s⁻¹, g C m⁻² d⁻¹ or g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² d⁻¹; auto takes the file's); UTC_OFFSET_HOURS is local standard time minus UTC; DELIMITER, DECIMAL and DUPLICATES say how the file is written (detected when left at auto: a European CSV with ';' and decimal commas, UTF-16 &quot;Unicode text&quot;) and what to do with rows that repeat a timestamp. Half-hourly tables are fitted at hourly steps, hourly and daily tables at their own step, which the file records.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Fit.&lt;/b&gt; R3 at a station is two site amplitudes: A, a temperature-driven release A·Q10c^((T10−20)/10), and B, a solubility-driven uptake B·K0(T10)/K0(20 °C). Dry steps (θ10 ≤ θc): least squares of Fc on ΔT − ΔT0, dT̄/dt and R3's two terms give k1, k2, A and B; wet steps: a bounded robust fit of R2's a2, p and Q10w; then a joint refit of all with Q10c and θc and a penalty matching each calendar year's sum (ANNUAL_PENALTY_WEIGHT). θc is a site property: fitted within its bounds, or THETA_C (m³ m⁻³); a soil never below 0.05 is fitted, not refused. ΔT0 keeps the review's 0.8 °C while A and B are fitted (SITE_R3 off fits ΔT0 instead, with R3 off). Bounds come from INITIAL_PARAMETERS (empty = the bundled defaults); R2max [R], θref (moves with θc), aC, aP, aS and the regime thresholds are kept.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Checks.&lt;/b&gt; Leave-one-year-out validation (leave-one-month-out with less than two years) scores, on the same held-out steps, the fit, the starting coefficients, a null model (the training mean) and the Q10 × moisture model R10·Q10^((T10−10)/10)·θ10/(θ10 + K) (HELD_OUT_RMSE, _INITIAL, _NULL, _Q10, µmol m⁻² s⁻¹), with each fold's sum error (g CO&lt;sub&gt;2&lt;/sub&gt; m⁻²); a warning says when the fit loses to the null or the Q10 model. A day-block bootstrap (BOOTSTRAP replicates, SEED) gives intervals for every coefficient and annual sum; a coefficient whose interval covers half its bounds is written &quot;identified&quot;: false and fluxscheme warns when it uses it. The replicates are kept in the file as its ensemble (fluxscheme's PARAMETER_ENSEMBLE). Fitted entries get provenance [C] and their interval.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Several stations.&lt;/b&gt; STATIONS, a CSV with columns station, file, soc (g kg⁻¹), ph, salt (g kg⁻¹): each station is calibrated on its own, then A and B are regressed on the soils into r3_a + aC·(SOC − SOCref) and r3_b + aP·(pH − pHref) + aS·(Salt − Saltref), the file for the map (fluxscheme then needs SOC, PH and SALT rasters).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Example.&lt;/b&gt; The COSORE sample ES-Agu 2012 with MAPPING {&quot;t0&quot;: &quot;CSR_T5&quot;} (one 5 cm sensor, so the ΔT terms are dropped): held-out RMSE 1.49 µmol m⁻² s⁻¹ for the fit against 1.82 for the defaults, 1.77 for the null model and 1.54 for the Q10 model.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Refuses&lt;/b&gt; (naming the file, column and row): both STATION and STATION_TABLE, or neither, or either with STATIONS; a table without Fc or a needed driver; fewer than two days; unknown columns in MAPPING; flux magnitudes that do not fit the unit the file declares; an irregular table with STEP none; PORT and PORTS together; a THETA_C outside the bounds; a station list without soc, ph or salt. Warnings (a coefficient at its bound or not identified, a benchmark that wins, a unit that looks wrong) go to the log and the report.&lt;/p&gt;</source>
        <translation>&lt;p&gt;将通量方案 Rs = R1 + R2 + R3（µmol CO&lt;sub&gt;2&lt;/sub&gt; m⁻² s⁻¹；正值 = 释放）的系数拟合到站点实测的 CO&lt;sub&gt;2&lt;/sub&gt; 通量 Fc，写出 &lt;i&gt;fluxscheme&lt;/i&gt; 可直接使用的&lt;b&gt;参数文件&lt;/b&gt;（JSON）和 HTML &lt;b&gt;报告&lt;/b&gt;。&lt;/p&gt;&lt;p&gt;&lt;b&gt;站点数据表。&lt;/b&gt;STATION（CSV 文件）或 STATION_TABLE（表图层）。可自动识别 AmeriFlux BASE、FLUXNET2015 和 COSORE 数据表（FORMAT 为 auto）；其他 CSV 需要 MAPPING——一个 JSON 对象，把插件的列 fc（µmol m⁻² s⁻¹）、t0（表层土壤温度，°C）、t10（°C）和 theta10（m³ m⁻³）映射到某一列、多列的加权组合或按深度插值的多列——以及 TIME_COLUMN（各时段的起始时刻）。T0 是必需的：若只有一个土壤温度同时映射为 T0 和 T10，则 ΔT = 0，ΔT 项被去掉（k1 = 0），日志中会加以说明。STEP 将不规则样本（气室自身的测量周期）平均到小时、半小时或日步长；PORTS 选择 COSORE 气室端口（例如 1-4 或 1,3；请排除挖沟处理的端口）；FLUX_UNIT 为通量列的单位（µmol CO&lt;sub&gt;2&lt;/sub&gt; m⁻² s⁻¹、mg CO&lt;sub&gt;2&lt;/sub&gt; m⁻² s⁻¹、g C m⁻² d⁻¹ 或 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² d⁻¹；auto 采用文件声明的单位）；UTC_OFFSET_HOURS 为当地标准时减去 UTC；DELIMITER、DECIMAL 和 DUPLICATES 说明文件的写法（保持 auto 时自动检测：使用 ';' 和小数逗号的欧洲 CSV、UTF-16 &quot;Unicode text&quot;）以及时间戳重复的行如何处理。半小时数据表按小时步长拟合，小时和日数据表按其自身步长拟合，并将步长记录在文件中。&lt;/p&gt;&lt;p&gt;&lt;b&gt;拟合。&lt;/b&gt;单个站点上的 R3 是两个站点振幅：A，温度驱动的释放 A·Q10c^((T10−20)/10)；B，溶解度驱动的吸收 B·K0(T10)/K0(20 °C)。干燥时间步（θ10 ≤ θc）：以 ΔT − ΔT0、dT̄/dt 和 R3 的两项对 Fc 做最小二乘，得到 k1、k2、A 和 B；湿润时间步：对 R2 的 a2、p 和 Q10w 做有界稳健拟合；然后连同 Q10c 和 θc 对全部系数联合重新拟合，并用惩罚项使每个日历年的总量相符（ANNUAL_PENALTY_WEIGHT）。θc 是站点属性：在其取值范围内拟合，或由 THETA_C（m³ m⁻³）给定；从不低于 0.05 的土壤照样拟合，不会被拒绝。拟合 A 和 B 时 ΔT0 保持综述的 0.8 °C（关闭 SITE_R3 则改为拟合 ΔT0，同时关闭 R3）。取值范围来自 INITIAL_PARAMETERS（留空 = 内置默认值）；R2max [R]、θref（随 θc 移动）、aC、aP、aS 以及各状态阈值保持不变。&lt;/p&gt;&lt;p&gt;&lt;b&gt;检验。&lt;/b&gt;逐年留一验证（不足两年时逐月留一）在相同的留出时间步上分别评估拟合系数、初始系数、零模型（训练集均值）和 Q10 × 水分模型 R10·Q10^((T10−10)/10)·θ10/(θ10 + K)（HELD_OUT_RMSE、_INITIAL、_NULL、_Q10，µmol m⁻² s⁻¹），并给出每一折的总量误差（g CO&lt;sub&gt;2&lt;/sub&gt; m⁻²）；当拟合结果不如零模型或 Q10 模型时给出警告。按日分块的自助法（BOOTSTRAP 次重复，SEED）给出每个系数和每个年总量的区间；区间覆盖其取值范围一半以上的系数记为 &quot;identified&quot;: false，fluxscheme 使用它时会发出警告。各次重复的结果作为参数集合保存在文件中（供 fluxscheme 的 PARAMETER_ENSEMBLE 使用）。拟合得到的条目来源标记为 [C]，并附其区间。&lt;/p&gt;&lt;p&gt;&lt;b&gt;多个站点。&lt;/b&gt;STATIONS，含 station、file、soc（g kg⁻¹）、ph、salt（g kg⁻¹）列的 CSV：先分别率定每个站点，再将 A 和 B 对土壤性质回归，得到 r3_a + aC·(SOC − SOCref) 和 r3_b + aP·(pH − pHref) + aS·(Salt − Saltref)，即用于制图的参数文件（此时 fluxscheme 需要 SOC、PH 和 SALT 栅格）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;示例。&lt;/b&gt;COSORE 样例 ES-Agu 2012，MAPPING 为 {&quot;t0&quot;: &quot;CSR_T5&quot;}（只有一个 5 cm 传感器，因此去掉 ΔT 项）：拟合结果的留出验证 RMSE 为 1.49 µmol m⁻² s⁻¹，默认系数为 1.82，零模型为 1.77，Q10 模型为 1.54。&lt;/p&gt;&lt;p&gt;&lt;b&gt;拒绝以下输入&lt;/b&gt;（并指明文件、列和行）：STATION 和 STATION_TABLE 同时给出或都未给出，或二者之一与 STATIONS 同时给出；数据表缺少 Fc 或所需的驱动变量；不足两天；MAPPING 中有未知的列；通量量级与文件声明的单位不符；STEP 为 none 时的不规则数据表；同时给出 PORT 和 PORTS；超出取值范围的 THETA_C；缺少 soc、ph 或 salt 列的站点列表。警告（系数处于取值边界或未被识别、基准模型更优、单位看似有误）写入日志和报告。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>Dependencies</name>
    <message>
        <location filename="../../plugin/dependencies.py" line="9"/>
        <source>the Processing algorithms and the drawn totals</source>
        <translation>Processing 算法和绘制区总量</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="10"/>
        <source>the dock of plots</source>
        <translation>图表停靠窗口</translation>
    </message>
</context>
<context>
    <name>DesertCarbonAlgorithm</name>
    <message>
        <location filename="../../processing_provider/base.py" line="160"/>
        <source>Working memory budget (MB)</source>
        <translation>工作内存预算（MB）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="420"/>
        <source>Random seed of the bootstrap</source>
        <translation>自助法随机种子</translation>
    </message>
    <message>
        <location filename="../../qgis_layers/station_choices.py" line="9"/>
        <source>auto: the table&apos;s step if half-hourly, hourly or daily, else hourly</source>
        <translation>自动：数据表步长为半小时、小时或日时沿用之，否则按小时</translation>
    </message>
    <message>
        <location filename="../../qgis_layers/station_choices.py" line="9"/>
        <source>hourly (mean of the samples in each hour)</source>
        <translation>小时（每小时内样本的平均值）</translation>
    </message>
    <message>
        <location filename="../../qgis_layers/station_choices.py" line="9"/>
        <source>half-hourly (mean of the samples in each half hour)</source>
        <translation>半小时（每半小时内样本的平均值）</translation>
    </message>
    <message>
        <location filename="../../qgis_layers/station_choices.py" line="9"/>
        <source>daily (mean of the samples in each day)</source>
        <translation>日（每日内样本的平均值）</translation>
    </message>
    <message>
        <location filename="../../qgis_layers/station_choices.py" line="9"/>
        <source>none: regular half-hourly, hourly or daily tables only</source>
        <translation>不聚合：仅接受规则的半小时、小时或日数据表</translation>
    </message>
    <message>
        <location filename="../../qgis_layers/station_choices.py" line="19"/>
        <source>auto: as the file says</source>
        <translation>自动：按文件声明</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="62"/>
        <source>Open-path table</source>
        <translation>开路数据表</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="62"/>
        <source>Reference table</source>
        <translation>参照数据表</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="62"/>
        <source>VWC10_STATION table</source>
        <translation>VWC10_STATION 数据表</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="150"/>
        <source>{table}: {description}</source>
        <translation>{table}：{description}</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="67"/>
        <source>Cancelled: no output was written.</source>
        <translation>已取消：未写入任何输出。</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="339"/>
        <source>Table format</source>
        <translation>数据表格式</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="341"/>
        <source>Time column (generic tables; start of each interval)</source>
        <translation>时间列（通用数据表；各时段的起始时刻）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="344"/>
        <source>Column mapping (JSON, e.g. {&quot;t0&quot;: &quot;TS_1_1_1&quot;, &quot;h&quot;: &quot;H&quot;})</source>
        <translation>列映射（JSON，例如 {&quot;t0&quot;: &quot;TS_1_1_1&quot;, &quot;h&quot;: &quot;H&quot;}）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="347"/>
        <source>UTC offset of the timestamps (hours, local standard time − UTC)</source>
        <translation>时间戳的 UTC 偏移（小时，当地标准时 − UTC）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="353"/>
        <source>Step to average irregular samples into (e.g. a chamber&apos;s own cycle)</source>
        <translation>将不规则样本平均到的时间步长（例如气室自身的测量周期）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="360"/>
        <source>Chamber ports to average (COSORE CSR_PORT), e.g. 1-4 or 1,3; empty or mean = all ports</source>
        <translation>参与平均的气室端口（COSORE CSR_PORT），例如 1-4 或 1,3；留空或 mean = 全部端口</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="366"/>
        <source>Unit of the CO2 flux column</source>
        <translation>CO2 通量列的单位</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="43"/>
        <source>auto: the most frequent of comma, semicolon and tab in the header</source>
        <translation>自动：取表头中出现最多的逗号、分号或制表符</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="43"/>
        <source>comma</source>
        <translation>逗号</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="43"/>
        <source>semicolon</source>
        <translation>分号</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="43"/>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="49"/>
        <source>auto: commas when the numbers use them and none uses a point</source>
        <translation>自动：数值使用逗号且无一使用小数点时按逗号</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="49"/>
        <source>point (0.5)</source>
        <translation>小数点（0.5）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="49"/>
        <source>comma (0,5)</source>
        <translation>逗号（0,5）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="55"/>
        <source>keep the first row (a warning says where rows differ)</source>
        <translation>保留第一行（行内容不同时给出警告并指明位置）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="55"/>
        <source>average the rows of one timestamp</source>
        <translation>对同一时间戳的各行取平均</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="55"/>
        <source>stop at the first repeated timestamp</source>
        <translation>遇到第一个重复时间戳即停止</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="390"/>
        <source>Column delimiter</source>
        <translation>列分隔符</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="393"/>
        <source>Decimal mark</source>
        <translation>小数点符号</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="396"/>
        <source>Rows that repeat a timestamp</source>
        <translation>时间戳重复的行</translation>
    </message>
    <message>
        <location filename="../../processing_provider/base.py" line="166"/>
        <source>Dask cluster: empty = this process, local:N = N worker processes on this machine, tcp://host:8786 = a running scheduler</source>
        <translation>Dask 集群：留空 = 本进程，local:N = 本机 N 个工作进程，tcp://host:8786 = 正在运行的调度器</translation>
    </message>
</context>
<context>
    <name>DesertCarbonDock</name>
    <message>
        <location filename="../../plugin/dock.py" line="42"/>
        <source>Desert Carbon Sink: stations, scenarios, totals</source>
        <translation>荒漠碳汇：站点、情景、总量</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="48"/>
        <source>Station</source>
        <translation>站点</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="49"/>
        <source>Scenario</source>
        <translation>情景</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="53"/>
        <source>Drawn totals</source>
        <translation>绘制区总量</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="57"/>
        <source>Export {}</source>
        <translation>导出 {}</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="58"/>
        <source>Save the plot shown as {}</source>
        <translation>将当前图表保存为 {}</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="58"/>
        <source>Save the data behind the plot shown (full resolution) as CSV</source>
        <translation>将当前图表背后的数据（全分辨率）保存为 CSV</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="104"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="83"/>
        <source>The tab shows no plot to export.</source>
        <translation>当前标签页没有可导出的图表。</translation>
    </message>
</context>
<context>
    <name>DesertCarbonPlugin</name>
    <message>
        <location filename="../../plugin/plugin.py" line="71"/>
        <source>Plots: stations, scenarios, drawn totals</source>
        <translation>图表：站点、情景、绘制区总量</translation>
    </message>
    <message>
        <location filename="../../plugin/plugin.py" line="76"/>
        <source>Draw a polygon and total the flux raster over it</source>
        <translation>绘制多边形并统计其范围内的通量栅格总量</translation>
    </message>
</context>
<context>
    <name>DesertCarbonProvider</name>
    <message>
        <location filename="../../processing_provider/provider.py" line="29"/>
        <source>{name} {version}: CO2 flux of shifting sand</source>
        <translation>{name} {version}：流动沙地的 CO2 通量</translation>
    </message>
</context>
<context>
    <name>FluxSchemeAlgorithm</name>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="36"/>
        <source>Flux scheme (annual CO2 flux of shifting sand)</source>
        <translation>通量方案（流动沙地年 CO2 通量）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="37"/>
        <source>Flux</source>
        <translation>通量</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="119"/>
        <source>Parameter file (JSON; empty = bundled defaults)</source>
        <translation>参数文件（JSON；留空 = 内置默认值）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="131"/>
        <source>Include partial years (flagged)</source>
        <translation>包含不完整年份（加标记）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="133"/>
        <source>Accumulation of ssr, str and tp in the FORCING files</source>
        <translation>FORCING 文件中 ssr、str 和 tp 的累积方式</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="137"/>
        <source>Land-sea mask (ERA5 lsm file or raster, 0–1; cells below 0.5 left out)</source>
        <translation>海陆掩膜（ERA5 lsm 文件或栅格，0–1；低于 0.5 的像元被排除）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="140"/>
        <source>Station table for the quantile mapping of θ10 (CSV)</source>
        <translation>用于 θ10 分位数映射的站点数据表（CSV）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="143"/>
        <source>Linear scaling of θ10 (station-based bias correction)</source>
        <translation>θ10 线性缩放系数（基于站点的偏差订正）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="148"/>
        <source>Station longitude (degrees east)</source>
        <translation>站点经度（东经，度）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="150"/>
        <source>Station latitude (degrees north)</source>
        <translation>站点纬度（北纬，度）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="156"/>
        <source>Annual CO2 flux (g CO2 m⁻² a⁻¹)</source>
        <translation>年 CO2 通量（g CO2 m⁻² a⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="158"/>
        <source>Annual R1, R2, R3 sums</source>
        <translation>R1、R2、R3 年总量</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="160"/>
        <source>Regime fractions</source>
        <translation>各状态所占比例</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="162"/>
        <source>Annual precipitation (mm a⁻¹, from tp)</source>
        <translation>年降水量（mm a⁻¹，由 tp 计算）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="164"/>
        <source>Mean net radiation per year (W m⁻², from ssr and str)</source>
        <translation>年平均净辐射（W m⁻²，由 ssr 和 str 计算）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="170"/>
        <source>Cells left out as ocean</source>
        <translation>作为海洋排除的像元数</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="22"/>
        <source>auto (from the files)</source>
        <translation>自动（由文件判断）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="23"/>
        <source>ERA5-Land (sums from 00 UTC)</source>
        <translation>ERA5-Land（自 00 UTC 起累积）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="24"/>
        <source>ERA5 (hourly sums)</source>
        <translation>ERA5（逐小时累积）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="92"/>
        <source>Forcing, either A: ERA5 / ERA5-Land files or folders (NetCDF, GRIB, Zarr or zip)</source>
        <translation>驱动数据，方式 A：ERA5 / ERA5-Land 文件或文件夹（NetCDF、GRIB、Zarr 或 zip）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="96"/>
        <source>A: or a folder of ERA5 / ERA5-Land files (searched recursively)</source>
        <translation>A：或一个 ERA5 / ERA5-Land 文件所在的文件夹（递归搜索）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="99"/>
        <source>Forcing, or B: three stacks, one band per step; surface soil temperature T0</source>
        <translation>驱动数据，或方式 B：三个栅格堆栈，每个时间步一个波段；表层土壤温度 T0</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="99"/>
        <source>B: soil temperature at 10 cm, T10</source>
        <translation>B：10 cm 土壤温度 T10</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="99"/>
        <source>B: soil water content at 10 cm, VWC10 (m³ m⁻³)</source>
        <translation>B：10 cm 土壤含水量 VWC10（m³ m⁻³）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="105"/>
        <source>B: unit of the T0 and T10 stacks</source>
        <translation>B：T0 和 T10 栅格堆栈的单位</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="107"/>
        <source>B: time of the first band (ISO 8601), if band descriptions carry no time</source>
        <translation>B：第一个波段的时间（ISO 8601），用于波段描述中不含时间的情况</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="110"/>
        <source>B: step between bands (hours), with START</source>
        <translation>B：波段之间的时间步长（小时），与 START 配合使用</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="113"/>
        <source>Soil organic carbon (g kg⁻¹), for R3</source>
        <translation>土壤有机碳（g kg⁻¹），用于 R3</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="113"/>
        <source>Soil pH, for R3</source>
        <translation>土壤 pH，用于 R3</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="113"/>
        <source>Total salt (g kg⁻¹), for R3</source>
        <translation>全盐量（g kg⁻¹），用于 R3</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="113"/>
        <source>Shifting-sand mask or fraction (0 = left out)</source>
        <translation>流动沙地掩膜或比例（0 = 排除）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="128"/>
        <source>Longest gap in the forcing filled by linear interpolation in time (hours)</source>
        <translation>驱动数据中按时间线性插值填补的最长缺口（小时）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="38"/>
        <source>&lt;p&gt;Computes the CO&lt;sub&gt;2&lt;/sub&gt; flux of shifting sand, Rs = R1 + R2 + R3 (µmol m⁻² s⁻¹; positive = release, negative = uptake), at every time step of the forcing and writes its sums per calendar year in &lt;b&gt;g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹&lt;/b&gt;, one band per year (band description = the year). R1 is the heat-driven part, k1·(ΔT − ΔT0) + k2·dT̄/dt with ΔT = T0 − T10 and dT̄/dt in K h⁻¹; R2 the moisture-activated part, zero up to θc = 0.05 m³ m⁻³ [R] and at most 3.68 µmol m⁻² s⁻¹ [R]; R3 the soil-property part, A·Q10c^((T10−20)/10) − B·K0(T10)/K0(20 °C) with A = r3_a + aC·(SOC − SOCref) and B = r3_b + aP·(pH − pHref) + aS·(Salt − Saltref) (off by default; a calibrated file sets r3_a and r3_b, a station's amplitudes), with CO&lt;sub&gt;2&lt;/sub&gt; solubility K0 after Weiss (1974) [L]. Provenance: [R] review, [L] literature, [P] provisional, [C] calibrated.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Forcing, either A or B.&lt;/b&gt; (A) ERA5 / ERA5-Land hourly files as the Copernicus data store delivers them (NetCDF in either layout, GRIB1/GRIB2, Zarr, the store's zips, or folders holding them; one file per month or per variable is fine): FORCING, or a folder in FORCING_FOLDER. Variables skt, stl1, stl2, swvl1, swvl2; T10 and θ10 are interpolated between the layer midpoints 3.5 and 17.5 cm. With ssr and str, net radiation Rn (W m⁻²) joins the uptake-season criterion (daily-mean ΔT below 0.8 K and Rn below 67 W m⁻² [R]); tp gives rain. ACCUMULATION says how these fields accumulate (auto reads it from the files). (B) Three time-stacked rasters, one band per step: T0 and T10 (°C or K, TEMPERATURE_UNIT) and VWC10 (m³ m⁻³), the time of each band in its description (ISO 8601, e.g. 2017-07-01T13:00) or given by START and STEP_HOURS.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Other inputs.&lt;/b&gt; SOC and SALT (g kg⁻¹) and PH rasters, needed only when the parameter file sets aC, aP or aS; MASK, a shifting-sand mask or fraction (cells at 0 or nodata are left out); LAND_SEA_MASK (ERA5 lsm or a raster 0–1; cells below 0.5 are left out and counted as OCEAN_CELLS). Static rasters on another grid are resampled, with a warning. PARAMETERS: a parameter file (JSON; empty = the bundled defaults); the run warns when a coefficient there is marked &quot;identified&quot;: false by its calibration. θ10 of reanalyses is often too wet for dune sand: VWC10_SCALE multiplies it by a factor, or VWC10_STATION quantile-maps it to a station's θ10 (a station table read as in calibration; STATION_LONGITUDE and STATION_LATITUDE in degrees when the table has no coordinates); give one of the two.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Outputs.&lt;/b&gt; OUTPUT: annual Rs sums (g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹), styled with a ramp symmetric about zero. Optional: OUTPUT_COMPONENTS (bands R1_year, R2_year, R3_year, same unit), OUTPUT_REGIMES (fractions of the valid steps in the uptake season, the release season and the moisture-activated regime), OUTPUT_RAIN (mm a⁻¹) and OUTPUT_RN (W m⁻²). Gaps of up to MAX_GAP_HOURS (default 3 h) are filled linearly in time and counted in the band metadata (GAP_FILLED_CELL_STEPS); a cell-year with a longer gap is nodata, said in the log; partial calendar years are left out unless INCLUDE_PARTIAL_YEARS is set. The run goes window by window within MEMORY_MB (CLUSTER: on Dask workers); cancelling it leaves no output.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Parameter ensemble.&lt;/b&gt; PARAMETER_ENSEMBLE, a file calibrate wrote (its bootstrap parameter sets), or PARAMETER_ENSEMBLE_FOLDER, a folder of parameter files: every member is run from the same reads of the forcing, and OUTPUT_ENSEMBLE, a folder, gets one annual-sum GeoTIFF per member (member_001.tif, ...) in OUTPUT's layout, which aggregate's ENSEMBLE_FOLDER and scenario's BASELINE_ENSEMBLE_FOLDER take as it is: the spread of their totals is the parameter uncertainty.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Example.&lt;/b&gt; FORCING = era5land_2021.nc and era5land_2022.nc (hourly, 0.1°), everything else left as it is: OUTPUT has two bands, 2021 and 2022; a dune-sand cell with the default coefficients comes out at a few g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹, negative where the sand takes up CO&lt;sub&gt;2&lt;/sub&gt;.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Refuses&lt;/b&gt; (naming the file, variable or time): both forcings at once or an incomplete set of stacks; gaps, repeated or decreasing times; two files that disagree on a step; a grid that changes between files; a variable missing for part of the period; kelvin declared as °C or the reverse; θ outside 0–1 (“looks like percent”); a parameter file with an unknown key, a wrong unit or a value outside its bounds; coefficients fitted at another time step; VWC10_SCALE and VWC10_STATION together; a parameter ensemble without OUTPUT_ENSEMBLE (or of fewer than two members), or an OUTPUT_ENSEMBLE folder holding other files.&lt;/p&gt;</source>
        <translation>&lt;p&gt;在驱动数据的每个时间步计算流动沙地的 CO&lt;sub&gt;2&lt;/sub&gt; 通量 Rs = R1 + R2 + R3（µmol m⁻² s⁻¹；正值 = 释放，负值 = 吸收），并按日历年求和，写出 &lt;b&gt;g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹&lt;/b&gt;，每年一个波段（波段描述 = 年份）。R1 为热驱动部分，k1·(ΔT − ΔT0) + k2·dT̄/dt，其中 ΔT = T0 − T10，dT̄/dt 的单位为 K h⁻¹；R2 为水分激活部分，θ10 不超过 θc = 0.05 m³ m⁻³ [R] 时为零，最大为 3.68 µmol m⁻² s⁻¹ [R]；R3 为土壤性质部分，A·Q10c^((T10−20)/10) − B·K0(T10)/K0(20 °C)，其中 A = r3_a + aC·(SOC − SOCref)，B = r3_b + aP·(pH − pHref) + aS·(Salt − Saltref)（默认关闭；率定得到的参数文件会设置 r3_a 和 r3_b，即站点振幅），CO&lt;sub&gt;2&lt;/sub&gt; 溶解度 K0 采用 Weiss (1974) [L]。来源标记：[R] 综述，[L] 文献，[P] 暂定，[C] 率定。&lt;/p&gt;&lt;p&gt;&lt;b&gt;驱动数据，A 或 B 二选一。&lt;/b&gt;（A）按 Copernicus 数据中心原样提供的 ERA5 / ERA5-Land 逐小时文件（任一布局的 NetCDF、GRIB1/GRIB2、Zarr、数据中心的 zip，或包含这些文件的文件夹；每月一个文件或每个变量一个文件均可）：填入 FORCING，或在 FORCING_FOLDER 中选择文件夹。变量为 skt、stl1、stl2、swvl1、swvl2；T10 和 θ10 在 3.5 cm 与 17.5 cm 两层中点之间线性插值。若有 ssr 和 str，净辐射 Rn（W m⁻²）也参与吸收季判据（日平均 ΔT 低于 0.8 K 且 Rn 低于 67 W m⁻² [R]）；tp 给出降水。ACCUMULATION 指定这些变量的累积方式（自动时从文件中读取）。（B）三个按时间堆叠的栅格，每个时间步一个波段：T0 和 T10（°C 或 K，见 TEMPERATURE_UNIT）以及 VWC10（m³ m⁻³），各波段的时间写在波段描述中（ISO 8601，例如 2017-07-01T13:00），或由 START 和 STEP_HOURS 给出。&lt;/p&gt;&lt;p&gt;&lt;b&gt;其他输入。&lt;/b&gt;SOC 和 SALT（g kg⁻¹）以及 PH 栅格，仅在参数文件设置了 aC、aP 或 aS 时需要；MASK 为流动沙地掩膜或比例（值为 0 或无数据的像元被排除）；LAND_SEA_MASK（ERA5 lsm 或 0–1 的栅格；低于 0.5 的像元被排除，并计入 OCEAN_CELLS）。网格不同的静态栅格会被重采样，并给出警告。PARAMETERS：参数文件（JSON；留空 = 内置默认值）；若其中某个系数被其率定标记为 &quot;identified&quot;: false，运行时会发出警告。再分析资料的 θ10 对沙丘沙而言往往偏湿：VWC10_SCALE 将其乘以一个系数，或由 VWC10_STATION 将其分位数映射到站点的 θ10（站点数据表的读取方式与率定相同；数据表中没有坐标时，用 STATION_LONGITUDE 和 STATION_LATITUDE 给出，单位为度）；二者只能选其一。&lt;/p&gt;&lt;p&gt;&lt;b&gt;输出。&lt;/b&gt;OUTPUT：Rs 年总量（g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹），以关于零对称的色带显示。可选：OUTPUT_COMPONENTS（波段 R1_年份、R2_年份、R3_年份，单位相同）、OUTPUT_REGIMES（有效时间步中处于吸收季、释放季和水分激活状态的比例）、OUTPUT_RAIN（mm a⁻¹）和 OUTPUT_RN（W m⁻²）。不超过 MAX_GAP_HOURS（默认 3 h）的缺口按时间线性插值填补，并计入波段元数据（GAP_FILLED_CELL_STEPS）；缺口更长的像元年为无数据，并在日志中说明；不完整的日历年被排除，除非勾选 INCLUDE_PARTIAL_YEARS。计算在 MEMORY_MB 内逐窗口进行（CLUSTER：在 Dask 工作进程上）；取消运行不会留下任何输出。&lt;/p&gt;&lt;p&gt;&lt;b&gt;参数集合。&lt;/b&gt;PARAMETER_ENSEMBLE 为 calibrate 写出的文件（含其自助法参数组），或 PARAMETER_ENSEMBLE_FOLDER 为参数文件所在的文件夹：每个成员都基于同一次驱动数据读取进行计算，OUTPUT_ENSEMBLE（一个文件夹）为每个成员写出一个与 OUTPUT 布局相同的年总量 GeoTIFF（member_001.tif, ...），aggregate 的 ENSEMBLE_FOLDER 和 scenario 的 BASELINE_ENSEMBLE_FOLDER 可直接使用：其总量的离散程度即参数不确定性。&lt;/p&gt;&lt;p&gt;&lt;b&gt;示例。&lt;/b&gt;FORCING = era5land_2021.nc 和 era5land_2022.nc（逐小时，0.1°），其余参数保持默认：OUTPUT 有 2021 和 2022 两个波段；采用默认系数时，沙丘沙像元的结果为每年几 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹，沙地吸收 CO&lt;sub&gt;2&lt;/sub&gt; 之处为负值。&lt;/p&gt;&lt;p&gt;&lt;b&gt;拒绝以下输入&lt;/b&gt;（并指明文件、变量或时间）：同时给出两种驱动数据，或栅格堆栈不全；时间有缺口、重复或递减；两个文件在同一时间步上不一致；网格在文件之间发生变化；某变量在部分时段缺失；声明为 °C 的数据实为开尔文，或反之；θ 超出 0–1（“看起来像百分数”）；参数文件含未知键、单位错误或数值超出取值范围；系数是在其他时间步长下拟合的；同时给出 VWC10_SCALE 和 VWC10_STATION；参数集合没有 OUTPUT_ENSEMBLE（或成员少于两个），或 OUTPUT_ENSEMBLE 文件夹中有其他文件。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="122"/>
        <source>Parameter ensemble: a calibrated file with its bootstrap sets (JSON)</source>
        <translation>参数集合：含自助法参数组的率定文件（JSON）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="125"/>
        <source>…or a folder of parameter files, one per member</source>
        <translation>……或参数文件所在的文件夹，每个成员一个文件</translation>
    </message>
    <message>
        <location filename="../../processing_provider/fluxscheme_algorithm.py" line="167"/>
        <source>Ensemble members&apos; annual sums (folder, one GeoTIFF per member)</source>
        <translation>集合成员的年总量（文件夹，每个成员一个 GeoTIFF）</translation>
    </message>
</context>
<context>
    <name>OpenPathCorrectionAlgorithm</name>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="17"/>
        <source>Open-path CO2 flux correction</source>
        <translation>开路 CO2 通量订正</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="18"/>
        <source>Station data</source>
        <translation>站点数据</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="52"/>
        <source>Open-path station table (CSV)</source>
        <translation>开路站点数据表（CSV）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="54"/>
        <source>Reference: closed-path or chamber CO2 flux table (CSV)</source>
        <translation>参照：闭路或气室 CO2 通量数据表（CSV）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="57"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="61"/>
        <source>c0 (µmol m⁻² s⁻¹), sensible-heat method; empty = fit against the reference</source>
        <translation>c0（µmol m⁻² s⁻¹），感热法；留空 = 根据参照数据拟合</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="64"/>
        <source>c1 (µmol m⁻² s⁻¹ per W m⁻²), sensible-heat method; empty = fit</source>
        <translation>c1（每 W m⁻² 的 µmol m⁻² s⁻¹），感热法；留空 = 拟合</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="73"/>
        <source>Station latitude (°N), for the day/night split without Rn</source>
        <translation>站点纬度（°N），用于无 Rn 时划分昼夜</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="76"/>
        <source>Station longitude (°E)</source>
        <translation>站点经度（°E）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="84"/>
        <source>Bootstrap resamples (whole days)</source>
        <translation>自助法重抽样次数（以整日为单位）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="88"/>
        <source>Corrected series (CSV)</source>
        <translation>订正后的时间序列（CSV）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="90"/>
        <source>Summary (HTML)</source>
        <translation>摘要（HTML）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="92"/>
        <source>Daily and annual sums (CSV)</source>
        <translation>日总量与年总量（CSV）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/openpathcorrection_algorithm.py" line="19"/>
        <source>&lt;p&gt;Corrects the CO&lt;sub&gt;2&lt;/sub&gt; flux of an open-path eddy-covariance system (IRGASON, EC150, LI-7500), which shows a false daytime uptake over low-flux deserts where closed-path analysers and chambers agree with each other [R]. Fluxes in &lt;b&gt;µmol m⁻² s⁻¹&lt;/b&gt; (positive = release), H and Rn in W m⁻², Ta in °C; half-hourly or hourly tables.&lt;/p&gt;&lt;p&gt;&lt;b&gt;METHOD.&lt;/b&gt; Transfer regression [L]: Fc_ref = β0 + β1·Fc_OP + β2·Rn + β3·Ta + β4·H, fitted where REFERENCE (a closed-path or chamber flux) overlaps INPUT and applied to the whole record; drivers absent from INPUT are left out. Sensible heat [L: Wang et al. 2016]: Fc_corr = Fc_OP − (c0 + c1·H), with C0 (µmol m⁻² s⁻¹) and C1 (µmol m⁻² s⁻¹ per W m⁻²) given, or fitted to the reference when both are empty. Both use a robust Huber fit over the overlap; BOOTSTRAP refits on whole days (SEED) give each coefficient's interval, carried into every corrected value and sum; 5-fold cross-validation by day scores the corrected and the uncorrected flux (RMSE, MAE, bias, R²). Day is Rn &amp;gt; 0, else a solar elevation above 0° from LATITUDE, LONGITUDE and the UTC offset.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Tables.&lt;/b&gt; FORMAT, TIME_COLUMN, MAPPING (e.g. {&quot;fc&quot;: &quot;FC_OP&quot;, &quot;h&quot;: &quot;H&quot;, &quot;rn&quot;: &quot;NETRAD&quot;, &quot;ta&quot;: &quot;TA&quot;}), STEP, PORTS, FLUX_UNIT and UTC_OFFSET_HOURS as in calibration; REFERENCE has its own set of them (its fc is the reference flux) and is shifted to INPUT's clock when both offsets are known.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Outputs.&lt;/b&gt; OUTPUT, the corrected series (CSV: time_start, fc_open_path_umol_m2_s, fc_corrected_umol_m2_s, its sd, the reference, in_overlap, is_day); OUTPUT_SUMMARY, an HTML page with the coefficients, the validation, annual sums and the warnings; optional OUTPUT_SUMS, daily and annual sums before and after, day and night apart, in g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² (each step adds Fc · step[s] · 44.0095e-6).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Example.&lt;/b&gt; INPUT = open_path.csv, REFERENCE = chamber.csv, METHOD = sensible heat with C0 and C1 empty: c0 and c1 are fitted over the overlap, and the summary compares the daytime sums before and after.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Refuses&lt;/b&gt; (naming the table and column): a table that is not half-hourly or hourly (the bias follows the diel cycle of H); a table without a flux column; a transfer regression without REFERENCE, or with C0 and C1; only one of C0 and C1; an overlap with fewer than 10 joint observations per coefficient or on fewer than 5 days. A slope β1 well below 1 (noise in Fc_OP damps the corrected flux) gives a warning.&lt;/p&gt;</source>
        <translation>&lt;p&gt;订正开路涡度相关系统（IRGASON、EC150、LI-7500）的 CO&lt;sub&gt;2&lt;/sub&gt; 通量：在低通量的荒漠上，开路系统会显示虚假的白天吸收，而闭路分析仪与气室的结果彼此一致 [R]。通量单位为 &lt;b&gt;µmol m⁻² s⁻¹&lt;/b&gt;（正值 = 释放），H 和 Rn 为 W m⁻²，Ta 为 °C；适用于半小时或小时数据表。&lt;/p&gt;&lt;p&gt;&lt;b&gt;METHOD。&lt;/b&gt;传递回归 [L]：Fc_ref = β0 + β1·Fc_OP + β2·Rn + β3·Ta + β4·H，在 REFERENCE（闭路或气室通量）与 INPUT 重叠的时段拟合，并应用于整个记录；INPUT 中缺少的驱动变量不参与回归。感热法 [L：Wang et al. 2016]：Fc_corr = Fc_OP − (c0 + c1·H)，C0（µmol m⁻² s⁻¹）和 C1（每 W m⁻² 的 µmol m⁻² s⁻¹）可直接给出，两者都留空时根据参照数据拟合。两种方法都在重叠时段上做稳健 Huber 拟合；按整日重抽样的自助法（BOOTSTRAP，SEED）给出各系数的区间，并传递到每个订正值和总量；按日的 5 折交叉验证评估订正前后的通量（RMSE、MAE、偏差、R²）。白天指 Rn &amp;gt; 0，否则由 LATITUDE、LONGITUDE 和 UTC 偏移计算太阳高度角大于 0°。&lt;/p&gt;&lt;p&gt;&lt;b&gt;数据表。&lt;/b&gt;FORMAT、TIME_COLUMN、MAPPING（例如 {&quot;fc&quot;: &quot;FC_OP&quot;, &quot;h&quot;: &quot;H&quot;, &quot;rn&quot;: &quot;NETRAD&quot;, &quot;ta&quot;: &quot;TA&quot;}）、STEP、PORTS、FLUX_UNIT 和 UTC_OFFSET_HOURS 的含义与率定相同；REFERENCE 有自己的一套同名参数（其 fc 即参照通量），两者的偏移都已知时，参照数据会换算到 INPUT 的时钟。&lt;/p&gt;&lt;p&gt;&lt;b&gt;输出。&lt;/b&gt;OUTPUT，订正后的时间序列（CSV：time_start、fc_open_path_umol_m2_s、fc_corrected_umol_m2_s、其标准差、参照值、in_overlap、is_day）；OUTPUT_SUMMARY，HTML 页面，包括系数、验证结果、年总量和警告；可选的 OUTPUT_SUMS，订正前后的日总量和年总量，昼夜分开，单位 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻²（每个时间步计入 Fc · 步长[s] · 44.0095e-6）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;示例。&lt;/b&gt;INPUT = open_path.csv，REFERENCE = chamber.csv，METHOD = 感热法，C0 和 C1 留空：c0 和 c1 在重叠时段上拟合，摘要比较订正前后的白天总量。&lt;/p&gt;&lt;p&gt;&lt;b&gt;拒绝以下输入&lt;/b&gt;（并指明数据表和列）：不是半小时或小时步长的数据表（偏差随 H 的日变化而变）；没有通量列的数据表；没有 REFERENCE 的传递回归，或传递回归同时给出了 C0 和 C1；只给出 C0 和 C1 之一；重叠时段内每个系数的联合观测少于 10 个，或不足 5 天。斜率 β1 明显小于 1（Fc_OP 中的噪声会压低订正后的通量）时给出警告。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>ScenarioAlgorithm</name>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="24"/>
        <source>Desertification-control scenario (Pg CO2 per year)</source>
        <translation>荒漠化防治情景（每年 Pg CO2）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="25"/>
        <source>Desertification control</source>
        <translation>荒漠化防治</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="62"/>
        <source>Baseline annual flux raster (g CO2 m⁻² a⁻¹; empty = constant rate)</source>
        <translation>基准年通量栅格（g CO2 m⁻² a⁻¹；留空 = 常数速率）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="64"/>
        <source>Constant baseline rate without a raster (g CO2 m⁻² a⁻¹, negative = uptake)</source>
        <translation>无栅格时的常数基准速率（g CO2 m⁻² a⁻¹，负值 = 吸收）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="71"/>
        <source>Interventions</source>
        <translation>治理地块</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="73"/>
        <source>Intervention name field (empty = feature id)</source>
        <translation>治理地块名称字段（留空 = 要素 ID）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="78"/>
        <source>Practice field</source>
        <translation>治理措施字段</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="81"/>
        <source>Planting year field</source>
        <translation>种植年份字段</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="84"/>
        <source>Practices table (CSV; empty = bundled)</source>
        <translation>治理措施表（CSV；留空 = 内置）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="86"/>
        <source>First year</source>
        <translation>起始年份</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="89"/>
        <source>Horizon (years)</source>
        <translation>时长（年）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="92"/>
        <source>Water budget (m³ a⁻¹, optional)</source>
        <translation>水资源预算（m³ a⁻¹，可选）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="95"/>
        <source>Year of the change raster (0 = last year of the horizon)</source>
        <translation>变化栅格对应的年份（0 = 情景期最后一年）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="98"/>
        <source>Region polygons (empty = the baseline raster&apos;s extent)</source>
        <translation>区域多边形（留空 = 基准栅格的范围）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="104"/>
        <source>Scenario per intervention and year</source>
        <translation>各治理地块逐年情景</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="106"/>
        <source>Change, scenario − baseline (g CO2 m⁻² a⁻¹)</source>
        <translation>变化量，情景 − 基准（g CO2 m⁻² a⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="108"/>
        <source>Scenario as CSV</source>
        <translation>情景（CSV）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="110"/>
        <source>Region's change in the last year (Pg CO2 a⁻¹)</source>
        <translation>区域在最后一年的变化量（Pg CO2 a⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="112"/>
        <source>Region&apos;s cumulative uptake gain over the horizon (Pg CO2)</source>
        <translation>区域在情景期内的累计增汇量（Pg CO2）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="26"/>
        <source>&lt;p&gt;How much more CO&lt;sub&gt;2&lt;/sub&gt; a region takes up, year by year, when parts of it are planted with desertification-control practices (review section 4 [R]): shelter forest takes up about 1000 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹ at full growth in the Taklimakan hinterland, some 150 times shifting sand; a &lt;i&gt;Haloxylon ammodendron&lt;/i&gt; plantation 434 g C m⁻² a⁻¹. Positive = release, negative = uptake; totals in &lt;b&gt;Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹&lt;/b&gt;.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Inputs.&lt;/b&gt; BASELINE, the annual flux raster of &lt;i&gt;fluxscheme&lt;/i&gt; (g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹; the mean of its bands is held over the horizon), or without it the constant BASELINE_RATE (default −6.31, the Tazhong shifting-sand uptake [R]). INTERVENTIONS: polygons with a practice id (PRACTICE_FIELD) and a planting year (PLANTING_YEAR_FIELD). On planted land the flux moves from the baseline b to the practice's mature rate r along its growth curve g (0 in the planting year, 1 at maturity): change = g · (r − b) · area. PRACTICES: the practices table (CSV with a units row; empty = the bundled one, whose ranges, growth and water figures are provisional [P]). REGION: polygons over which the region's totals are taken (default: the baseline raster's extent). START_YEAR and HORIZON (years) set the period; WATER_BUDGET (m³ a⁻¹) names the years whose water need exceeds it. Totals use the code of &lt;i&gt;aggregate&lt;/i&gt;, so the baseline equals &lt;i&gt;aggregate&lt;/i&gt; on the same raster and polygons. BASELINE_ENSEMBLE (rasters) or BASELINE_ENSEMBLE_FOLDER (fluxscheme's OUTPUT_ENSEMBLE): each parameter set's baseline goes through the same arithmetic at the practices' central rates.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Outputs.&lt;/b&gt; OUTPUT: one row per intervention and year, then a &lt;i&gt;region&lt;/i&gt; row per year: growth, area_m2, baseline and scenario totals, change (negative = more uptake) and cumulative_uptake_gain_PgCO2 (positive = more CO&lt;sub&gt;2&lt;/sub&gt; taken up than the baseline), each with _min/_max from the practices' low and high rates, water_m3_a and water_budget_m3_a; with a baseline ensemble the parameter spread of the scenario total (scenario_parameter_sd_PgCO2_a, _p05, _p95), the baseline's interannual sd and combined_uncertainty_PgCO2_a = √(parameter sd² + interannual sd²), the uncertainty of a future year's total; the same as CSV (OUTPUT_CSV). OUTPUT_CHANGE: scenario − baseline per cell in CHANGE_YEAR (0 = the horizon's last year), g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Example.&lt;/b&gt; The demo's 2,833 ha shelter belt planted in 2023 over the synthetic demo baseline, HORIZON 30: after 30 years the belt takes up 2.82e-05 Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹ more than the sand it replaced, a cumulative gain of 6.62e-04 Pg CO&lt;sub&gt;2&lt;/sub&gt;.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Refuses&lt;/b&gt; (naming the feature): overlapping interventions; a practice missing from the table; a polygon wholly outside the raster. A polygon planted after the horizon, partly outside the raster or without a baseline value gets a warning.&lt;/p&gt;</source>
        <translation>&lt;p&gt;区域内部分土地采取荒漠化防治措施后，逐年多吸收多少 CO&lt;sub&gt;2&lt;/sub&gt;（综述第 4 节 [R]）：在塔克拉玛干腹地，防护林完全长成后吸收约 1000 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹，约为流动沙地的 150 倍；&lt;i&gt;梭梭（Haloxylon ammodendron）&lt;/i&gt;人工林为 434 g C m⁻² a⁻¹。正值 = 释放，负值 = 吸收；总量单位为 &lt;b&gt;Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹&lt;/b&gt;。&lt;/p&gt;&lt;p&gt;&lt;b&gt;输入。&lt;/b&gt;BASELINE，&lt;i&gt;fluxscheme&lt;/i&gt; 输出的年通量栅格（g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹；情景期内采用其各波段的平均值），若不提供则用常数 BASELINE_RATE（默认 −6.31，塔中流动沙地的吸收速率 [R]）。INTERVENTIONS：带有措施 ID（PRACTICE_FIELD）和种植年份（PLANTING_YEAR_FIELD）的多边形。在种植的土地上，通量沿措施的生长曲线 g（种植当年为 0，成熟时为 1）从基准值 b 变为措施的成熟速率 r：变化量 = g · (r − b) · 面积。PRACTICES：治理措施表（带单位行的 CSV；留空 = 内置表，其中的取值范围、生长和需水数据为暂定 [P]）。REGION：统计区域总量的多边形（默认：基准栅格的范围）。START_YEAR 和 HORIZON（年）确定时段；WATER_BUDGET（m³ a⁻¹）指出需水量超过预算的年份。总量的计算与 &lt;i&gt;aggregate&lt;/i&gt; 使用同一代码，因此在相同栅格和多边形上，基准值与 &lt;i&gt;aggregate&lt;/i&gt; 完全一致。BASELINE_ENSEMBLE（栅格）或 BASELINE_ENSEMBLE_FOLDER（fluxscheme 的 OUTPUT_ENSEMBLE）：每个参数组的基准值都按措施的中心速率经过同样的计算。&lt;/p&gt;&lt;p&gt;&lt;b&gt;输出。&lt;/b&gt;OUTPUT：每个治理地块每年一行，然后每年一行 &lt;i&gt;region&lt;/i&gt;：growth、area_m2、基准与情景总量、变化量 change（负值 = 吸收更多）以及 cumulative_uptake_gain_PgCO2（正值 = 比基准多吸收的 CO&lt;sub&gt;2&lt;/sub&gt;），均附有由措施的低、高速率得到的 _min/_max，以及 water_m3_a 和 water_budget_m3_a；提供基准集合时，还给出情景总量的参数离散度（scenario_parameter_sd_PgCO2_a、_p05、_p95）、基准的年际标准差，以及 combined_uncertainty_PgCO2_a = √(参数 sd² + 年际 sd²)，即未来某一年总量的不确定性；同样内容的 CSV（OUTPUT_CSV）。OUTPUT_CHANGE：CHANGE_YEAR（0 = 情景期最后一年）逐像元的情景 − 基准，单位 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹。&lt;/p&gt;&lt;p&gt;&lt;b&gt;示例。&lt;/b&gt;示例中 2023 年种植的 2,833 ha 防护林带，基于合成的示例基准，HORIZON 为 30：30 年后，林带每年比其取代的沙地多吸收 2.82e-05 Pg CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹，累计增汇 6.62e-04 Pg CO&lt;sub&gt;2&lt;/sub&gt;。&lt;/p&gt;&lt;p&gt;&lt;b&gt;拒绝以下输入&lt;/b&gt;（并指明要素）：相互重叠的治理地块；措施表中不存在的措施；完全位于栅格之外的多边形。种植年份晚于情景期、部分位于栅格之外或没有基准值的多边形会得到警告。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="67"/>
        <source>Baseline ensemble: flux rasters of other parameter sets</source>
        <translation>基准集合：其他参数组得到的通量栅格</translation>
    </message>
    <message>
        <location filename="../../processing_provider/scenario_algorithm.py" line="67"/>
        <source>…or a baseline ensemble folder (fluxscheme's OUTPUT_ENSEMBLE)</source>
        <translation>……或基准集合文件夹（fluxscheme 的 OUTPUT_ENSEMBLE）</translation>
    </message>
</context>
<context>
    <name>ScenarioTab</name>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="43"/>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="54"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="57"/>
        <source>Trajectories and cumulative change of the region or of one polygon</source>
        <translation>区域或单个多边形的变化轨迹与累计变化</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="65"/>
        <source>Field whose values are the table&apos;s polygon ids (empty = feature id)</source>
        <translation>取值为数据表中多边形 ID 的字段（留空 = 要素 ID）</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="75"/>
        <source>Scenario table</source>
        <translation>情景数据表</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="76"/>
        <source>Polygons on the map</source>
        <translation>地图上的多边形</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="77"/>
        <source>Shown</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="118"/>
        <source>Choose a scenario table first.</source>
        <translation>请先选择情景数据表。</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="133"/>
        <source>{}: {} polygon(s), years {:g} to {:g}; columns: {}</source>
        <translation>{}：{} 个多边形，{:g} 至 {:g} 年；列：{}</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="150"/>
        <source>region</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="150"/>
        <source>region ({})</source>
        <translation>区域（{}）</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="166"/>
        <source>total flux</source>
        <translation>总通量</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="166"/>
        <source>{}: baseline and scenario (negative = uptake)</source>
        <translation>{}：基准与情景（负值 = 吸收）</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="169"/>
        <source>baseline</source>
        <translation>基准</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="169"/>
        <source>scenario</source>
        <translation>情景</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="171"/>
        <source>{} range</source>
        <translation>{}范围</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="178"/>
        <source>cumulative</source>
        <translation>累计</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="178"/>
        <source>{}: cumulative {}</source>
        <translation>{}：累计{}</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="181"/>
        <source>range</source>
        <translation>范围</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="189"/>
        <source>year</source>
        <translation>年份</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="218"/>
        <source>per polygon</source>
        <translation>各多边形</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="218"/>
        <source>per polygon: {} (selected on the map: red)</source>
        <translation>各多边形：{}（地图上选中的为红色）</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="199"/>
        <source>scenario: parameters 5–95 %</source>
        <translation>情景：参数 5–95 %</translation>
    </message>
    <message>
        <location filename="../../plugin/scenario_tab.py" line="204"/>
        <source>scenario ± interannual sd</source>
        <translation>情景 ± 年际 sd</translation>
    </message>
</context>
<context>
    <name>SitingAlgorithm</name>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="29"/>
        <source>Siting of a practice (carbon gain per hectare and per m³)</source>
        <translation>治理措施选址（每公顷及每 m³ 水的增汇量）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="30"/>
        <source>Desertification control</source>
        <translation>荒漠化防治</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="59"/>
        <source>Practice (id in the practices table)</source>
        <translation>治理措施（措施表中的 ID）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="61"/>
        <source>Baseline annual flux raster (g CO2 m⁻² a⁻¹)</source>
        <translation>基准年通量栅格（g CO2 m⁻² a⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="63"/>
        <source>Practices table (CSV; empty = bundled)</source>
        <translation>治理措施表（CSV；留空 = 内置）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="65"/>
        <source>Constraint rasters</source>
        <translation>约束栅格</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="67"/>
        <source>Constraint rules (e.g. gw_depth&lt;=10; road_distance:-0.5)</source>
        <translation>约束规则（例如 gw_depth&lt;=10; road_distance:-0.5）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="69"/>
        <source>Areas to leave out (protected areas, oases)</source>
        <translation>排除区域（保护区、绿洲）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="72"/>
        <source>Rank by</source>
        <translation>排序依据</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="74"/>
        <source>Target area (ha)</source>
        <translation>目标面积（ha）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="77"/>
        <source>Planting year given to the sites</source>
        <translation>赋予选址地块的种植年份</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="80"/>
        <source>Water need raster (m³ ha⁻¹ a⁻¹; empty = the table's)</source>
        <translation>需水量栅格（m³ ha⁻¹ a⁻¹；留空 = 使用措施表中的值）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="85"/>
        <source>Suitability</source>
        <translation>适宜性</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="86"/>
        <source>Best sites</source>
        <translation>最佳选址</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="88"/>
        <source>Area of the sites (ha)</source>
        <translation>选址面积（ha）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="89"/>
        <source>Uptake gain of the sites at full growth (t CO2 a⁻¹)</source>
        <translation>选址在完全长成时的增汇量（t CO2 a⁻¹）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/siting_algorithm.py" line="31"/>
        <source>&lt;p&gt;Ranks the cells of a baseline raster for one practice of the practices table (PRACTICE, e.g. &lt;i&gt;shelter_forest&lt;/i&gt;) and returns the best sites for a target area, ready for &lt;i&gt;scenario&lt;/i&gt;. Gain at full growth: uptake gain = mean baseline flux (BASELINE, g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹) − the practice's mature rate, positive = more uptake, in &lt;b&gt;t CO&lt;sub&gt;2&lt;/sub&gt; ha⁻¹ a⁻¹&lt;/b&gt; and per cubic metre of the water the planting needs (the table's water_need in m³ ha⁻¹ a⁻¹, or the WATER_NEED raster) in &lt;b&gt;kg CO&lt;sub&gt;2&lt;/sub&gt; m⁻³&lt;/b&gt;; RANK_BY chooses which is ranked.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Constraints.&lt;/b&gt; CONSTRAINT_RASTERS (any grid; resampled to the baseline's) are named in CONSTRAINT_RULES by layer name (in qgis_process, the file name without extension), separated by ';': gw_depth&amp;lt;=10 is a threshold a cell must meet (&amp;lt;, &amp;lt;=, &amp;gt;, &amp;gt;=, ==, !=); road_distance:-0.5 is a weight in −1..1 against the carbon gain's weight 1 (negative: lower values are better). A cell without a value in a raster a rule reads is left out; so is every cell EXCLUDE_POLYGONS touch (protected areas, oases) and every cell where the practice would not gain.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Outputs.&lt;/b&gt; OUTPUT, bands uptake_gain_tCO2_ha_a, uptake_gain_kgCO2_m3, water_need_m3_ha_a, allowed (1/0) and suitability (0–1: the gain and the weighted constraints, each scaled over the allowed cells; the layer loads showing it). OUTPUT_SITES: the most suitable cells until their true area reaches TARGET_HA (ha), dissolved into polygons with practice, planting_year (PLANTING_YEAR), area_ha and the expected gain, to give to &lt;i&gt;scenario&lt;/i&gt;. Water needs and growth in the bundled table are provisional [P].&lt;/p&gt;&lt;p&gt;&lt;b&gt;Example.&lt;/b&gt; PRACTICE shelter_forest, BASELINE = annual_flux.tif, TARGET_HA 10000: about 10,000 ha of the cells with the largest gain, each polygon with its gain in t CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Refuses&lt;/b&gt; (naming it): a practice missing from the table, or the baseline practice itself; a rule that is neither name&amp;lt;=value nor name:weight, or that names no raster of CONSTRAINT_RASTERS; a weight outside −1..1; ranking by water for a practice that needs none; a target area of 0 ha or less.&lt;/p&gt;</source>
        <translation>&lt;p&gt;针对治理措施表中的一种措施（PRACTICE，例如 &lt;i&gt;shelter_forest&lt;/i&gt;）对基准栅格的像元排序，返回满足目标面积的最佳地块，可直接用于 &lt;i&gt;scenario&lt;/i&gt;。完全长成时的增汇量：增汇量 = 基准通量平均值（BASELINE，g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹）− 措施的成熟速率，正值 = 吸收更多，单位为 &lt;b&gt;t CO&lt;sub&gt;2&lt;/sub&gt; ha⁻¹ a⁻¹&lt;/b&gt;；以及按种植所需每立方米水计（措施表中的 water_need，单位 m³ ha⁻¹ a⁻¹，或 WATER_NEED 栅格），单位为 &lt;b&gt;kg CO&lt;sub&gt;2&lt;/sub&gt; m⁻³&lt;/b&gt;；RANK_BY 选择按哪一项排序。&lt;/p&gt;&lt;p&gt;&lt;b&gt;约束。&lt;/b&gt;CONSTRAINT_RULES 按图层名称（在 qgis_process 中为不带扩展名的文件名）引用 CONSTRAINT_RASTERS（任意网格；重采样到基准栅格的网格），各规则以“;”分隔：gw_depth&amp;lt;=10 是像元必须满足的阈值（&amp;lt;、&amp;lt;=、&amp;gt;、&amp;gt;=、==、!=）；road_distance:-0.5 是 −1..1 之间的权重，相对于增汇量的权重 1（负值：数值越小越好）。在规则所读栅格中没有数值的像元被排除；EXCLUDE_POLYGONS（保护区、绿洲）触及的所有像元以及措施不能增汇的像元也被排除。&lt;/p&gt;&lt;p&gt;&lt;b&gt;输出。&lt;/b&gt;OUTPUT，波段 uptake_gain_tCO2_ha_a、uptake_gain_kgCO2_m3、water_need_m3_ha_a、allowed（1/0）和 suitability（0–1：增汇量与加权约束，各自在允许的像元上归一化；加载后显示此波段）。OUTPUT_SITES：最适宜的像元，直到其真实面积达到 TARGET_HA（ha），合并为多边形，带有 practice、planting_year（PLANTING_YEAR）、area_ha 和预期增汇量，可提供给 &lt;i&gt;scenario&lt;/i&gt;。内置措施表中的需水量和生长数据为暂定 [P]。&lt;/p&gt;&lt;p&gt;&lt;b&gt;示例。&lt;/b&gt;PRACTICE 为 shelter_forest，BASELINE = annual_flux.tif，TARGET_HA 为 10000：约 10,000 ha 增汇量最大的像元，每个多边形附有其增汇量（t CO&lt;sub&gt;2&lt;/sub&gt; a⁻¹）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;拒绝以下输入&lt;/b&gt;（并指明具体对象）：措施表中不存在的措施，或基准措施本身；既不是 name&amp;lt;=value 也不是 name:weight 形式的规则，或引用了 CONSTRAINT_RASTERS 中不存在的栅格的规则；超出 −1..1 的权重；对不需要水的措施按用水量排序；小于等于 0 ha 的目标面积。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>StationTab</name>
    <message>
        <location filename="../../plugin/station_tab.py" line="64"/>
        <source>bundled defaults</source>
        <translation>内置默认值</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="67"/>
        <source>Columns and reading</source>
        <translation>列与读取设置</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="88"/>
        <source>time column (start of each step)</source>
        <translation>时间列（各时间步的起始时刻）</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="96"/>
        <source>step</source>
        <translation>步长</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="96"/>
        <source>average to hourly or daily steps before plotting</source>
        <translation>绘图前平均到小时或日步长</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="97"/>
        <source>bootstrap</source>
        <translation>自助法</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="97"/>
        <source>bootstrap replicates of the calibration</source>
        <translation>率定的自助法重复次数</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="109"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="111"/>
        <source>Calibrate…</source>
        <translation>率定…</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="112"/>
        <source>Fit the scheme to this table with desertcarbon:calibrate in the background, then plot the fitted model</source>
        <translation>在后台用 desertcarbon:calibrate 将方案拟合到此数据表，然后绘制拟合后的模型</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="118"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="130"/>
        <source>stack R1, R2, R3</source>
        <translation>堆叠 R1、R2、R3</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="133"/>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="140"/>
        <source>Station table</source>
        <translation>站点数据表</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="141"/>
        <source>Parameter file</source>
        <translation>参数文件</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="261"/>
        <source>(format default)</source>
        <translation>（格式默认）</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="162"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="243"/>
        <source>Choose a station table first.</source>
        <translation>请先选择站点数据表。</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="563"/>
        <source>Calibration</source>
        <translation>率定</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="518"/>
        <source>The algorithm {} is not available in this installation; the plots still work.</source>
        <translation>当前安装中没有算法 {}；图表功能仍可使用。</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="523"/>
        <source>Open a station table before calibrating.</source>
        <translation>率定前请先打开站点数据表。</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="528"/>
        <source>Save the calibrated parameter file</source>
        <translation>保存率定后的参数文件</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="546"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="546"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="556"/>
        <source>Parameter file written: {}; held-out RMSE {:.3g} (fit) vs {:.3g} (start) µmol m⁻² s⁻¹</source>
        <translation>已写入参数文件：{}；留出验证 RMSE {:.3g}（拟合）对比 {:.3g}（初始）µmol m⁻² s⁻¹</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="35"/>
        <source>uptake season</source>
        <translation>吸收季</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="35"/>
        <source>moisture-activated</source>
        <translation>水分激活</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="37"/>
        <source>time series</source>
        <translation>时间序列</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="37"/>
        <source>diel cycle per month</source>
        <translation>各月平均日变化</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="37"/>
        <source>annual totals</source>
        <translation>年总量</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="37"/>
        <source>as read</source>
        <translation>按原始步长</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="37"/>
        <source>hourly</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="37"/>
        <source>daily</source>
        <translation>日</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="260"/>
        <source>absent</source>
        <translation>缺失</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="277"/>
        <source>{station}: {steps} steps of {step} s, {first} to {last}; parameters: {name} ({file})</source>
        <translation>{station}：{steps} 个时间步，步长 {step} s，{first} 至 {last}；参数：{name}（{file}）</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="277"/>
        <source>bundled</source>
        <translation>内置</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="282"/>
        <source>Note: {}</source>
        <translation>注意：{}</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="292"/>
        <source>Model not run: the table has no {names}. Choose the column under “Columns and reading” (a table with one soil temperature can give it as both T0 and T10: then ΔT = 0 and k1 keeps its starting value).</source>
        <translation>模型未运行：数据表中没有 {names}。请在“列与读取设置”中选择相应的列（只有一个土壤温度的数据表可将其同时作为 T0 和 T10：此时 ΔT = 0，k1 保持初始值）。</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="295"/>
        <source>Model not run: {}</source>
        <translation>模型未运行：{}</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="343"/>
        <source>Σ flux</source>
        <translation>Σ 通量</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="345"/>
        <source>Σ observed (common steps)</source>
        <translation>Σ 观测值（共同时间步）</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="345"/>
        <source>Σ modelled (common steps)</source>
        <translation>Σ 模拟值（共同时间步）</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="349"/>
        <source>table clock</source>
        <translation>数据表时钟</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="349"/>
        <source>local standard time, UTC{:+g} h</source>
        <translation>当地标准时，UTC{:+g} h</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="351"/>
        <source>time ({})</source>
        <translation>时间（{}）</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="359"/>
        <source>CO₂ flux</source>
        <translation>CO₂ 通量</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="370"/>
        <source>{} (stacked)</source>
        <translation>{}（堆叠）</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="373"/>
        <source>R1 heat-driven</source>
        <translation>R1 热驱动</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="373"/>
        <source>R2 moisture</source>
        <translation>R2 水分</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="373"/>
        <source>R3 soil properties</source>
        <translation>R3 土壤性质</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="460"/>
        <source>observed Fc</source>
        <translation>观测 Fc</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="463"/>
        <source>modelled Rs</source>
        <translation>模拟 Rs</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="397"/>
        <source>uptake season below {:g} K</source>
        <translation>吸收季：低于 {:g} K</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="412"/>
        <source>rain</source>
        <translation>降水</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="440"/>
        <source>Diel cycles: {} month(s) without a value in every hour of the day are not drawn (they are in the CSV).</source>
        <translation>日变化：{} 个月并非每个小时都有数值，未绘制（CSV 中包含这些月份）。</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="452"/>
        <source>flux</source>
        <translation>通量</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="452"/>
        <source>hour of day</source>
        <translation>一天中的小时</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="471"/>
        <source>observed, mean of each half-hour</source>
        <translation>观测值，各半小时平均</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="471"/>
        <source>modelled, mean of each half-hour</source>
        <translation>模拟值，各半小时平均</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="471"/>
        <source>observed, mean of each hour</source>
        <translation>观测值，各小时平均</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="471"/>
        <source>modelled, mean of each hour</source>
        <translation>模拟值，各小时平均</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="485"/>
        <source>Annual totals: {} left out, with less than a day of steps with observed and modelled flux (in the CSV).</source>
        <translation>年总量：{} 未绘制，其同时具有观测与模拟通量的时间步不足一天（CSV 中包含）。</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="487"/>
        <source>annual sum</source>
        <translation>年总量</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="487"/>
        <source>calendar year (share of its steps with observed and modelled flux)</source>
        <translation>日历年（同时具有观测与模拟通量的时间步所占比例）</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="491"/>
        <source>observed</source>
        <translation>观测值</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="491"/>
        <source>modelled, same steps</source>
        <translation>模拟值，相同时间步</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="491"/>
        <source>modelled, gaps filled</source>
        <translation>模拟值，缺测已插补</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="561"/>
        <source>{done}
Warnings of the fit:
{warnings}</source>
        <translation>{done}
拟合警告：
{warnings}</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="185"/>
        <source>ports</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="91"/>
        <source>COSORE chamber ports to average: numbers and ranges such as 1-4 or 1,3, or mean for all ports (as PORTS)</source>
        <translation>要平均的 COSORE 气室端口：编号和范围，如 1-4 或 1,3；mean 表示平均所有端口（同 PORTS）</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="185"/>
        <source>reading step</source>
        <translation>读取步长</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="93"/>
        <source>step to average irregular samples into, e.g. a chamber&apos;s own cycle (as STEP)</source>
        <translation>将不规则样本（如气室自身的测量周期）平均到的步长（同 STEP）</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="95"/>
        <source>flux unit</source>
        <translation>通量单位</translation>
    </message>
    <message>
        <location filename="../../plugin/station_tab.py" line="95"/>
        <source>unit of the CO2 flux column (as FLUX_UNIT)</source>
        <translation>CO2 通量列的单位（同 FLUX_UNIT）</translation>
    </message>
</context>
<context>
    <name>TableSource</name>
    <message>
        <location filename="../../plugin/table_source.py" line="24"/>
        <source>CSV file</source>
        <translation>CSV 文件</translation>
    </message>
    <message>
        <location filename="../../plugin/table_source.py" line="25"/>
        <source>Table layer</source>
        <translation>表图层</translation>
    </message>
</context>
<context>
    <name>TotalsTab</name>
    <message>
        <location filename="../../plugin/totals_tab.py" line="39"/>
        <source>Annual flux raster, one band per year (g CO₂ m⁻² a⁻¹), e.g. the output of desertcarbon:fluxscheme</source>
        <translation>年通量栅格，每年一个波段（g CO₂ m⁻² a⁻¹），例如 desertcarbon:fluxscheme 的输出</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="42"/>
        <source>Draw a polygon</source>
        <translation>绘制多边形</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="52"/>
        <source>Flux raster</source>
        <translation>通量栅格</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="178"/>
        <source>Draw a polygon on the map (left click: vertex, right click: close).</source>
        <translation>在地图上绘制多边形（左键：添加顶点，右键：闭合）。</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="80"/>
        <source>Choose a flux raster in the Drawn totals tab first.</source>
        <translation>请先在“绘制区总量”标签页中选择通量栅格。</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="102"/>
        <source>{name}: {total:.4g} Pg CO₂ a⁻¹ on average over {years} year(s); polygon {area:,.1f} km², {summed:,.1f} km² with flux; mean rate {rate:.4g} g CO₂ m⁻² a⁻¹</source>
        <translation>{name}：{years} 年平均 {total:.4g} Pg CO₂ a⁻¹；多边形面积 {area:,.1f} km²，其中有通量数据 {summed:,.1f} km²；平均速率 {rate:.4g} g CO₂ m⁻² a⁻¹</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="127"/>
        <source>total</source>
        <translation>总量</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="127"/>
        <source>year (band of the flux raster)</source>
        <translation>年份（通量栅格的波段）</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="171"/>
        <source>Drawn totals</source>
        <translation>绘制区总量</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="22"/>
        <source>year</source>
        <translation>年份</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="22"/>
        <source>total
Pg CO₂ a⁻¹</source>
        <translation>总量
Pg CO₂ a⁻¹</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="22"/>
        <source>area with flux
km²</source>
        <translation>有通量面积
km²</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="22"/>
        <source>mean rate
g CO₂ m⁻² a⁻¹</source>
        <translation>平均速率
g CO₂ m⁻² a⁻¹</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="22"/>
        <source>area without data
km²</source>
        <translation>无数据面积
km²</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="83"/>
        <source>drawn {}</source>
        <translation>绘制 {}</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="127"/>
        <source>{}: total per year</source>
        <translation>{}：逐年总量</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="48"/>
        <source>none: no parameter uncertainty</source>
        <translation>无：不计参数不确定性</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="49"/>
        <source>Folder of annual-sum rasters, one per parameter set (fluxscheme&apos;s OUTPUT_ENSEMBLE): their spread is the parameter uncertainty</source>
        <translation>年总量栅格文件夹，每个参数组一个（fluxscheme 的 OUTPUT_ENSEMBLE）：其离散程度即参数不确定性</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="86"/>
        <source>Ensemble folder</source>
        <translation>集合文件夹</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="149"/>
        <source>parameters 5–95 %</source>
        <translation>参数 5–95 %</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="152"/>
        <source>mean ± interannual sd</source>
        <translation>均值 ± 年际 sd</translation>
    </message>
    <message>
        <location filename="../../plugin/totals_tab.py" line="152"/>
        <source>mean ± combined</source>
        <translation>均值 ± 合成不确定性</translation>
    </message>
</context>
<context>
    <name>TrendAlgorithm</name>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="15"/>
        <source>Per-pixel trend (OLS, Theil–Sen, Mann–Kendall)</source>
        <translation>逐像元趋势（OLS、Theil–Sen、Mann–Kendall）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="16"/>
        <source>Trends and totals</source>
        <translation>趋势与总量</translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="43"/>
        <source>Annual raster (one band per year)</source>
        <translation>年值栅格（每年一个波段）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="44"/>
        <source>Year of band 1 (empty = read from band descriptions)</source>
        <translation>第 1 波段的年份（留空 = 从波段描述读取）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="47"/>
        <source>Minimum number of valid years</source>
        <translation>最少有效年数</translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="50"/>
        <source>Correction for serial correlation</source>
        <translation>序列相关校正</translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="53"/>
        <source>Significance code from</source>
        <translation>显著性代码依据</translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="55"/>
        <source>Significance level of the autocorrelation test</source>
        <translation>自相关检验的显著性水平</translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="62"/>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <location filename="../../processing_provider/trend_algorithm.py" line="17"/>
        <source>&lt;p&gt;Per-pixel trend of a raster with one band per year, e.g. the annual fluxes of &lt;i&gt;fluxscheme&lt;/i&gt; (g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹), as the review's trend map with p &amp;lt; 0.05 [R]. Years come from the band descriptions (e.g. 2017) or FIRST_YEAR; nodata years are skipped per pixel and years that are not consecutive keep their true place on the time axis.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output bands&lt;/b&gt; (named in the band descriptions): ols_slope, the least-squares slope in input units per year (g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻²), and ols_p, its two-sided t-test; sen_slope, the Theil–Sen slope (same unit); mk_p, the Mann–Kendall p (tie-corrected variance, continuity correction) and kendall_tau; significance, −3/−2/−1 for a decrease significant at 99/95/90 %, +1/+2/+3 for an increase and 0 for none (the Trends.Earth convention), from the Mann–Kendall test or, with SIGNIFICANCE_FROM, from the OLS test; n_valid, the years with a value. The layer loads showing the significance classes.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Options.&lt;/b&gt; MIN_VALID_YEARS (default 10): pixels with fewer years are nodata. CORRECTION for serially correlated series: Yue–Wang pre-whitening or the Hamed–Rao variance correction, as in pymannkendall [L], with ALPHA the level of the autocorrelation test. The run goes window by window within MEMORY_MB, in this process or, with CLUSTER (local:N or a Dask scheduler's tcp:// address), as tasks on Dask workers, to the same bits; every band agrees with scipy and pymannkendall to 1e-9 (tested).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Example.&lt;/b&gt; INPUT = annual_flux.tif (23 bands, 2000–2022), MIN_VALID_YEARS = 10: a pixel whose uptake grows by 0.1 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹ each year has ols_slope −0.1 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻², and significance −3 when its Mann–Kendall p is below 0.01.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Refuses&lt;/b&gt; (naming the file and band): band descriptions that are not years when FIRST_YEAR is empty; two bands described as the same year; fewer bands than MIN_VALID_YEARS; MIN_VALID_YEARS below 3. A cancelled run leaves no output.&lt;/p&gt;</source>
        <translation>&lt;p&gt;对每年一个波段的栅格逐像元计算趋势，例如 &lt;i&gt;fluxscheme&lt;/i&gt; 输出的年通量（g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹），对应综述中 p &amp;lt; 0.05 的趋势图 [R]。年份取自波段描述（例如 2017）或 FIRST_YEAR；无数据的年份按像元跳过，不连续的年份在时间轴上保持其真实位置。&lt;/p&gt;&lt;p&gt;&lt;b&gt;输出波段&lt;/b&gt;（以波段描述命名）：ols_slope，最小二乘斜率，单位为输入单位每年（g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻²），ols_p 为其双侧 t 检验；sen_slope，Theil–Sen 斜率（单位相同）；mk_p，Mann–Kendall 检验的 p 值（结值修正方差，连续性校正）及 kendall_tau；significance，−3/−2/−1 表示在 99/95/90 % 水平上显著减少，+1/+2/+3 表示显著增加，0 表示不显著（Trends.Earth 约定），依据 Mann–Kendall 检验，或按 SIGNIFICANCE_FROM 依据 OLS 检验；n_valid，有数值的年数。加载后显示显著性分类。&lt;/p&gt;&lt;p&gt;&lt;b&gt;选项。&lt;/b&gt;MIN_VALID_YEARS（默认 10）：年数不足的像元为无数据。CORRECTION 用于序列相关的时间序列：Yue–Wang 预白化或 Hamed–Rao 方差校正，与 pymannkendall 相同 [L]，ALPHA 为自相关检验的显著性水平。计算在 MEMORY_MB 内逐窗口进行，可在本进程中进行，也可通过 CLUSTER（local:N 或 Dask 调度器的 tcp:// 地址）作为 Dask 工作进程上的任务进行，结果逐位相同；各波段与 scipy 和 pymannkendall 的结果相差不超过 1e-9（已测试）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;示例。&lt;/b&gt;INPUT = annual_flux.tif（23 个波段，2000–2022），MIN_VALID_YEARS = 10：某像元的吸收量每年增加 0.1 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻¹，则其 ols_slope 为 −0.1 g CO&lt;sub&gt;2&lt;/sub&gt; m⁻² a⁻²；若其 Mann–Kendall p 值低于 0.01，significance 为 −3。&lt;/p&gt;&lt;p&gt;&lt;b&gt;拒绝以下输入&lt;/b&gt;（并指明文件和波段）：FIRST_YEAR 留空时波段描述不是年份；两个波段描述为同一年；波段数少于 MIN_VALID_YEARS；MIN_VALID_YEARS 小于 3。取消运行不会留下任何输出。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>styles</name>
    <message>
        <location filename="../../processing_provider/styles.py" line="21"/>
        <source>fraction of valid steps (0–1)</source>
        <translation>有效时间步所占比例（0–1）</translation>
    </message>
    <message>
        <location filename="../../processing_provider/styles.py" line="28"/>
        <source>decrease, 99 %</source>
        <translation>减少，99 %</translation>
    </message>
    <message>
        <location filename="../../processing_provider/styles.py" line="29"/>
        <source>decrease, 95 %</source>
        <translation>减少，95 %</translation>
    </message>
    <message>
        <location filename="../../processing_provider/styles.py" line="30"/>
        <source>decrease, 90 %</source>
        <translation>减少，90 %</translation>
    </message>
    <message>
        <location filename="../../processing_provider/styles.py" line="31"/>
        <source>no significant trend</source>
        <translation>无显著趋势</translation>
    </message>
    <message>
        <location filename="../../processing_provider/styles.py" line="32"/>
        <source>increase, 90 %</source>
        <translation>增加，90 %</translation>
    </message>
    <message>
        <location filename="../../processing_provider/styles.py" line="33"/>
        <source>increase, 95 %</source>
        <translation>增加，95 %</translation>
    </message>
    <message>
        <location filename="../../processing_provider/styles.py" line="34"/>
        <source>increase, 99 %</source>
        <translation>增加，99 %</translation>
    </message>
</context>
</TS>
