"""Build the release zip: ``desert_carbon/`` at its root, only what the plugin needs at run time.

Files come from ``git ls-files`` so that nothing untracked (caches, outputs, venvs) slips in.
Usage: python3 scripts/build_package.py [DIST_DIR]  → prints the zip's path.
"""
import configparser
import subprocess
import sys
import zipfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PACKAGE = "desert_carbon"
TOP_FILES = {"metadata.txt", "__init__.py", "about.py", "LICENSE", "README.md", "CHANGELOG.md", "docs/SCIENCE.md",
             "docs/DESIGN.md", "docs/IMPLEMENTATION.md"}
FOLDERS = ("core/", "qgis_layers/", "processing_provider/", "plugin/", "resources/")
REJECTED_SUFFIXES = (".pyc", ".pyo", ".so", ".dll", ".exe", ".dylib")


def packaged_files():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPOSITORY, capture_output=True, text=True,
                             check=True).stdout.split()
    return sorted(p for p in tracked if (p in TOP_FILES or p.startswith(FOLDERS))
                  and not p.endswith(REJECTED_SUFFIXES) and "__pycache__" not in p)


def build(dist):
    metadata = configparser.ConfigParser()
    metadata.read(REPOSITORY / "metadata.txt", encoding="utf-8")
    version = metadata["general"]["version"]
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{PACKAGE}-{version}.zip"
    temporary = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in packaged_files():
            archive.write(REPOSITORY / name, f"{PACKAGE}/{name}")
    temporary.replace(target)
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else REPOSITORY / "dist"))
