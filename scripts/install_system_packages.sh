#!/usr/bin/env bash
# Install QGIS and the Python packages it must share its GDAL with, from Debian's packages.
# Idempotent and quiet when everything is already there.
set -euo pipefail
packages=(qgis qgis-providers python3-qgis python3-gdal python3-rasterio python3-pyqtgraph python3-scipy python3-yaml
          python3-venv pyqt5-dev-tools qttools5-dev-tools xvfb xauth zip unzip libeccodes-tools
          python3-distributed python3-dask     # optional for the plugin: CLUSTER; the tests run a real cluster
          fonts-wqy-microhei)   # CJK glyphs for the Chinese screenshots
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
