"""Translations: `make translations` collects every user-facing string; the Simplified Chinese translation has every
one of them, keeps units, symbols, parameter names and placeholders, is compiled into the .qm the plugin loads, and
the dock and an algorithm dialog come up in Chinese when QGIS's locale is zh."""
import html
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtWidgets import QLabel

import desert_carbon
from desert_carbon.plugin import translation
from desert_carbon.processing_provider.base import DesertCarbonAlgorithm

REPOSITORY = Path(__file__).resolve().parents[2]
I18N = REPOSITORY / "resources" / "i18n"
CHINESE = I18N / "desert_carbon_zh-Hans.ts"
# what a translation keeps as it is: placeholders, parameter and column names, units and symbols with exponents
KEPT = {"placeholders": r"\{[^{}]*\}",
        "names": r"(?<![\w])[A-Z][A-Z0-9]*_[A-Z0-9_]+(?![\w])",
        "units": r"[A-Za-zµ°]*[⁻²³¹⁰][⁻²³¹⁰A-Za-z]*"}


def messages(ts_text):
    """{(context, source): translation or None when unfinished} of a Qt Linguist file."""
    found = {}
    for block in re.findall(r"<context>(.*?)</context>", ts_text, flags=re.S):
        context = re.search(r"<name>(.*?)</name>", block).group(1)
        for message in re.findall(r"<message>(.*?)</message>", block, flags=re.S):
            source = html.unescape(re.search(r"<source>(.*?)</source>", message, flags=re.S).group(1))
            translated = re.search(r"<translation( type=\"unfinished\")?>(.*?)</translation>", message, flags=re.S)
            finished = translated is not None and not translated.group(1) and translated.group(2)
            found[(context, source)] = html.unescape(translated.group(2)) if finished else None
    return found


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    sources = [str(p) for folder in ("core", "qgis_layers", "processing_provider", "plugin")
               for p in sorted((REPOSITORY / folder).rglob("*.py"))]
    path = tmp_path_factory.mktemp("i18n") / "desert_carbon.ts"
    subprocess.run(["pylupdate5", "-noobsolete", *sources, "-ts", str(path)], check=True, capture_output=True)
    return messages(path.read_text(encoding="utf-8"))


def test_translation_template_has_every_algorithm_text(provider, template):
    for algorithm in (a for a in provider.algorithms() if isinstance(a, DesertCarbonAlgorithm)):
        texts = {source for context, source in template if context == type(algorithm).__name__}
        assert {algorithm.displayName(), algorithm.group(), algorithm.shortHelpString()} <= texts, algorithm.id()


def test_every_string_of_the_template_is_translated_to_chinese(template):
    chinese = messages(CHINESE.read_text(encoding="utf-8"))
    missing = [f"{context}: {source[:90]!r}" for (context, source) in template if not chinese.get((context, source))]
    assert not missing, ("strings without a Simplified Chinese translation (add them to "
                         "resources/i18n/desert_carbon_zh-Hans.ts after `make translations`):\n" + "\n".join(missing))


def test_chinese_keeps_units_symbols_names_and_placeholders():
    changed = []
    for (context, source), text in messages(CHINESE.read_text(encoding="utf-8")).items():
        for kind, pattern in KEPT.items():
            if text and Counter(re.findall(pattern, source)) != Counter(re.findall(pattern, text)):
                difference = set(re.findall(pattern, source)) ^ set(re.findall(pattern, text))
                changed.append(f"{context} {kind}: {sorted(difference)}")
    assert not changed, "\n".join(changed)


def test_the_compiled_translation_is_current(tmp_path):
    compiled = tmp_path / "zh.qm"
    subprocess.run(["lrelease", "-silent", str(CHINESE), "-qm", str(compiled)], check=True, capture_output=True)
    assert compiled.read_bytes() == CHINESE.with_suffix(".qm").read_bytes(), "run `make translations`"


@pytest.mark.parametrize(("locale", "expected"), [("zh", "zh-Hans"), ("zh-Hans", "zh-Hans"), ("zh_CN", "zh-Hans"),
                                                  ("zh-Hant", None), ("zh_TW", None), ("de", None), ("en_US", None)])
def test_the_translation_follows_the_qgis_locale(locale, expected):
    assert translation.language_for(locale) == expected


@pytest.fixture
def chinese_qgis(qgis_iface, qgis_processing):
    """QGIS with its locale overridden to Chinese, as Settings ▸ Options ▸ General sets it, and the plugin made then."""
    settings = QgsSettings()
    saved = {key: settings.value(key) for key in ("locale/userLocale", "locale/overrideFlag")}
    settings.setValue("locale/userLocale", "zh-Hans")
    settings.setValue("locale/overrideFlag", True)
    plugin = desert_carbon.classFactory(qgis_iface)
    plugin.initGui()
    yield plugin
    plugin.unload()
    for key, value in saved.items():
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)


def test_algorithms_and_their_dialog_come_up_in_chinese(chinese_qgis, algorithm_dialog):
    assert chinese_qgis.language == "zh-Hans"
    algorithm = QgsApplication.processingRegistry().algorithmById("desertcarbon:fluxscheme")
    assert algorithm.displayName() == "通量方案（流动沙地年 CO2 通量）"
    assert "示例" in algorithm.shortHelpString() and "g CO<sub>2</sub> m⁻² a⁻¹" in algorithm.shortHelpString()
    assert algorithm.parameterDefinition("T10").description() == "B：10 cm 土壤温度 T10"
    assert algorithm.parameterDefinition("MEMORY_MB").description() == "工作内存预算（MB）"      # a shared one
    assert algorithm.parameterDefinition("FORMAT").description() == "VWC10_STATION 数据表：数据表格式"
    dialog = algorithm_dialog(algorithm)
    # QGIS 3.40 puts the group before the name ("通量 - 通量方案…"), 3.22 shows the name alone
    assert dialog.windowTitle() in ("通量方案（流动沙地年 CO2 通量）", "通量 - 通量方案（流动沙地年 CO2 通量）")
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(text.startswith("驱动数据，方式 A") for text in labels), labels
    model = QgsApplication.processingRegistry().algorithmById("desertcarbon:desert_carbon_chain")
    assert model.displayName() == "荒漠碳汇流程：通量、趋势、总量与情景"
    assert model.parameterDefinition("DESERT").description() == "荒漠多边形（总量统计与情景区域）"


def test_the_dock_comes_up_in_chinese(chinese_qgis):
    dock = chinese_qgis.ensure_dock()
    tabs = [dock.tabs.tabText(index) for index in range(dock.tabs.count())]
    assert tabs == ["站点", "情景", "绘制区总量"]
    assert dock.windowTitle() == "荒漠碳汇：站点、情景、总量"
    assert dock.station.calibrate_button.text() == "率定…"
    assert [dock.station.view.itemText(i) for i in range(dock.station.view.count())] == [
        "时间序列", "各月平均日变化", "年总量"]
    assert chinese_qgis.draw_action.text() == "绘制多边形并统计其范围内的通量栅格总量"
