"""`make translations` collects every algorithm's name, group and help for translators."""
import html
import re
import subprocess
from pathlib import Path

from desert_carbon.processing_provider.base import DesertCarbonAlgorithm

REPOSITORY = Path(__file__).resolve().parents[2]


def test_translation_template_has_every_algorithm_text(provider, tmp_path):
    sources = [str(p) for folder in ("core", "qgis_layers", "processing_provider", "plugin")
               for p in (REPOSITORY / folder).rglob("*.py")]
    template = tmp_path / "desert_carbon.ts"
    subprocess.run(["pylupdate5", "-noobsolete", *sources, "-ts", str(template)], check=True, capture_output=True)
    text = template.read_text(encoding="utf-8")
    contexts = {}
    for block in re.findall(r"<context>(.*?)</context>", text, flags=re.S):
        name = re.search(r"<name>(.*?)</name>", block).group(1)
        contexts[name] = {html.unescape(s) for s in re.findall(r"<source>(.*?)</source>", block, flags=re.S)}
    for algorithm in (a for a in provider.algorithms() if isinstance(a, DesertCarbonAlgorithm)):
        texts = contexts[type(algorithm).__name__]        # the context base.tr translates in
        assert {algorithm.displayName(), algorithm.group(), algorithm.shortHelpString()} <= texts, algorithm.id()
