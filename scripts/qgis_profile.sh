#!/usr/bin/env bash
# Make a private QGIS profile folder with the plugin enabled: scripts/qgis_profile.sh DIR
set -euo pipefail
settings="$1/profiles/default/QGIS"
mkdir -p "$settings"
[ -f "$settings/QGIS3.ini" ] || printf '[PythonPlugins]\ndesert_carbon=true\n[qgis]\ncheckVersion=false\nshowTips=false\n' > "$settings/QGIS3.ini"
