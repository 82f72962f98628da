"""The plugin's translations: resources/i18n/desert_carbon_<language>.qm, chosen by QGIS's locale.

Installed when QGIS makes the plugin (desktop and qgis_process alike), so that the algorithms' names, parameters
and help and the dock come up in the user's language; removed when the plugin unloads. Units and symbols are the
same in every language.
"""
from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

I18N = Path(__file__).resolve().parent.parent / "resources" / "i18n"
# QGIS locale prefix -> translation; Chinese in traditional script (zh-Hant, zh_TW, zh_HK) has none yet
LANGUAGES = {"zh": "zh-Hans"}
TRADITIONAL_CHINESE = ("zh-hant", "zh_hant", "zh_tw", "zh-tw", "zh_hk", "zh-hk", "zh_mo")

_translator = None


def language_for(locale):
    """The translation for a QGIS locale name ("zh", "zh-Hans", "zh_CN", "de"), or None."""
    name = (locale or "").lower()
    if name.startswith(TRADITIONAL_CHINESE):
        return None
    return LANGUAGES.get(name[:2])


def qm_path(language):
    return I18N / f"desert_carbon_{language}.qm"


def install(locale=None):
    """Load the translation for ``locale`` (default: QGIS's); returns the language installed, or None."""
    global _translator
    uninstall()
    language = language_for(QgsApplication.locale() if locale is None else locale)
    if language is None or not qm_path(language).exists():
        return None
    translator = QTranslator()
    if not translator.load(str(qm_path(language))):
        return None
    QCoreApplication.installTranslator(translator)
    _translator = translator
    return language


def uninstall():
    global _translator
    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
    _translator = None
