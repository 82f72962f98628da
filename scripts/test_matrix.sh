#!/usr/bin/env bash
# `make test-matrix`: the test suite and `make demo` against other Debian releases' QGIS, each in a
# chroot built once with debootstrap and cached under .build/matrix/<release>/root.
#
#   scripts/test_matrix.sh [--rebuild] [--build-only] [RELEASE ...]     (default: bookworm sid)
#   make test-matrix [RELEASES="sid"] [REBUILD=1]
#
#   bookworm  Debian 12 + bookworm-backports: QGIS 3.40 LTR
#   sid       Debian unstable: the newest QGIS, Python, numpy, scipy and GDAL
#
# Per release, logs go to .build/matrix/<release>/logs/; one summary line per release at the end.
# Environment: MIRROR, SECURITY_MIRROR, TEST_TIMEOUT (seconds for one pytest run), STRICT=0 skips the
# second pytest run that turns the plugin's own DeprecationWarnings into errors.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MATRIX=$REPO/.build/matrix
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}
TEST_TIMEOUT=${TEST_TIMEOUT:-2400}
STRICT=${STRICT:-1}
REBUILD=${REBUILD:-0}
BUILD_ONLY=0
WORKDIR=/srv/desert_carbon      # the checkout's place inside each chroot
HOST_DEMO=$REPO/demo-output

releases=()
for arg in "$@"; do
  case $arg in
    --rebuild) REBUILD=1 ;;
    --build-only) BUILD_ONLY=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    bookworm|sid) releases+=("$arg") ;;
    *) echo "unknown release or option: $arg (known: bookworm sid)" >&2; exit 2 ;;
  esac
done
[ ${#releases[@]} -gt 0 ] || releases=(bookworm sid)
[ "$(id -u)" -eq 0 ] || { echo "test-matrix needs root (debootstrap, chroot, mount)" >&2; exit 1; }

# What the project needs (scripts/install_system_packages.sh) plus make, and git for
# scripts/build_package.py, which lists the files to package with `git ls-files`.
PROJECT_PACKAGES="python3-rasterio python3-pyqtgraph python3-scipy python3-gdal python3-venv pyqt5-dev-tools \
                  xvfb xauth zip unzip make git"
QGIS_PACKAGES="qgis python3-qgis qgis-providers"

log() { echo "[$(date +%H:%M:%S)] $*"; }

# ---------------------------------------------------------------- mounts
# A clean environment inside: nothing of the host's (PIP_*, PYTHONPATH, ...) leaks in except what we copy.
CHROOT_ENV=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
            LC_ALL=C.UTF-8 TERM=dumb COLUMNS=200 DEBIAN_FRONTEND=noninteractive QT_QPA_PLATFORM=offscreen)

mounts_under() { findmnt -rn -o TARGET | grep -E "^$1(/|$)" || true; }

# Local directories the host's pip configuration points at (find-links, file:// indexes): bound
# read-only into the chroot so that pip inside reaches the same index as pip outside. For an index
# .../simple its parent, since the pages link to files beside it (../../files/x.whl).
pip_local_dirs() {
  { pip config list 2>/dev/null | cut -d= -f2- | tr -d "'"; echo "${PIP_FIND_LINKS:-}"; } |
    tr ' ' '\n' | sed -e 's|^file://||' -e 's|/simple/*$||' |
    while read -r path; do [ -d "$path" ] && echo "$path" || true; done | sort -u
}

mount_chroot() {
  local root=$1 dir
  mount -t proc proc "$root/proc"
  mount -t sysfs sysfs "$root/sys"
  mount --bind /dev "$root/dev"
  mount --bind /dev/pts "$root/dev/pts"
  mount --bind /dev/shm "$root/dev/shm"
  for dir in $(pip_local_dirs); do
    mkdir -p "$root$dir"
    mount --bind "$dir" "$root$dir" && mount -o remount,bind,ro "$root$dir"
  done
}

# Processes still running inside (a stray Xvfb or qgis_process) keep the mounts busy: end them first.
umount_chroot() {
  local root=$1 proc target
  for proc in /proc/[0-9]*; do
    [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ] && kill -9 "${proc#/proc/}" 2>/dev/null || true
  done
  # deepest first; a lazy unmount as the last resort so that nothing stays attached to the tree
  for target in $(mounts_under "$root" | sort -r); do
    umount "$target" 2>/dev/null || umount -l "$target"
  done
}

# in_chroot ROOT COMMAND: run COMMAND with bash -lc inside ROOT with /proc, /sys and /dev mounted,
# unmounting on every way out. The command runs in the background so that a signal reaches the trap
# at once instead of after the command.
in_chroot() {
  local root=$1; shift
  (
    trap 'umount_chroot "$root"' EXIT
    trap 'exit 130' INT TERM HUP
    mount_chroot "$root"
    chroot "$root" /usr/bin/env -i "${CHROOT_ENV[@]}" /bin/bash -lc "$*" &
    wait $!
  )
}

# ---------------------------------------------------------------- build (cached)
build_release() {
  local release=$1 dir=$MATRIX/$1 root=$MATRIX/$1/root start=$SECONDS
  if [ -e "$dir/built" ] && [ "$REBUILD" != 1 ]; then
    log "$release: chroot cached ($(cat "$dir/built"))"; return 0
  fi
  # never delete a tree with something mounted in it (rm would walk into /dev or /proc)
  if [ -n "$(mounts_under "$root")" ]; then
    echo "$release: mounts left under $root, not deleting it:" >&2; mounts_under "$root" >&2; return 1
  fi
  rm -rf --one-file-system "$root" "$dir/built"
  mkdir -p "$dir/logs"
  log "$release: debootstrap (log: $dir/logs/build.log)"
  debootstrap --variant=minbase --include=ca-certificates "$release" "$root" "$MIRROR" >"$dir/logs/build.log" 2>&1

  case $release in
    bookworm) cat >"$root/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY_MIRROR bookworm-security main
deb $MIRROR bookworm-backports main
EOF
      # QGIS 3.40 from backports first, so that the project's own install script later finds
      # everything installed and does nothing
      install="apt-get install -y -t bookworm-backports $QGIS_PACKAGES && apt-get install -y $PROJECT_PACKAGES" ;;
    sid) echo "deb $MIRROR sid main" >"$root/etc/apt/sources.list"
      install="apt-get install -y $QGIS_PACKAGES $PROJECT_PACKAGES" ;;
  esac
  # The mirror's indexes can be stale (sid's Valid-Until lies in the past): accept them anyway.
  cat >"$root/etc/apt/apt.conf.d/99matrix" <<EOF
Acquire::Check-Valid-Until "false";
APT::Install-Recommends "false";
Acquire::Retries "5";
EOF
  # no daemons started by package scripts inside the chroot
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod +x "$root/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$root/etc/resolv.conf"

  log "$release: apt-get install QGIS and the project's packages"
  in_chroot "$root" "apt-get update && $install" >>"$dir/logs/build.log" 2>&1
  in_chroot "$root" "dpkg-query -W -f='\${Version}' qgis" >"$dir/built"
  log "$release: chroot built in $((SECONDS - start)) s (qgis $(cat "$dir/built"))"
  echo "$((SECONDS - start))" >"$dir/logs/build-seconds"
}

# ---------------------------------------------------------------- run
# Host settings the chroot needs each run: DNS, the CA certificates (the network's TLS goes through
# a proxy with its own CA) and the pip configuration.
refresh_host_settings() {
  local root=$1 file
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mkdir -p "$root/usr/local/share/ca-certificates" "$root/root/.config" "$root/etc/xdg"
  cp /usr/local/share/ca-certificates/* "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
  [ -f /etc/pip.conf ] && cp /etc/pip.conf "$root/etc/pip.conf"
  [ -d /etc/xdg/pip ] && rm -rf "$root/etc/xdg/pip" && cp -r /etc/xdg/pip "$root/etc/xdg/pip"
  [ -d "$HOME/.config/pip" ] && rm -rf "$root/root/.config/pip" && cp -r "$HOME/.config/pip" "$root/root/.config/pip"
  [ -d "$HOME/.pip" ] && rm -rf "$root/root/.pip" && cp -r "$HOME/.pip" "$root/root/.pip"
  in_chroot "$root" "update-ca-certificates >/dev/null 2>&1"
}

# The WORKING TREE as it is now (uncommitted edits included): tracked and untracked-but-not-ignored
# files, which leaves out .venv, .build, demo-output, dist and .git. One snapshot for all releases, so
# that they test the same code while others keep editing.
snapshot_checkout() {
  (cd "$REPO" && git ls-files -z --cached --others --exclude-standard |
     grep -zvE '^(\.venv|\.build|demo-output|dist|\.git)(/|$)' |
     while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f" || true; done |   # deleted files stay out
     tar --null -T - -cf -) >"$MATRIX/checkout.tar"
  # scripts/build_package.py packages what `git ls-files` lists: the copies get the host's tracked list
  (cd "$REPO" && git ls-files -z --cached |
     while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f" || true; done) >"$MATRIX/tracked-files"
  { echo "HEAD $(cd "$REPO" && git rev-parse HEAD)"; echo "modified:"; (cd "$REPO" && git ls-files -m);
    echo "untracked:"; (cd "$REPO" && git ls-files --others --exclude-standard); } >"$MATRIX/checkout.txt"
}

copy_checkout() {
  local root=$1
  rm -rf --one-file-system "${root:?}$WORKDIR"
  mkdir -p "$root$WORKDIR"
  tar -C "$root$WORKDIR" -xf "$MATRIX/checkout.tar"
  # a repository of the copy's own whose index holds the host's tracked files (the host's repository
  # and index are not touched)
  cp "$MATRIX/tracked-files" "$root/tmp/tracked-files"
  in_chroot "$root" "cd $WORKDIR && git init -q . && git update-index --add -z --stdin </tmp/tracked-files"
}

run_release() {
  local release=$1 dir=$MATRIX/$1 root=$MATRIX/$1/root start=$SECONDS
  local logs=$dir/logs out=$WORKDIR/.build/matrix-out
  rm -rf "$logs/run" && mkdir -p "$logs/run"
  refresh_host_settings "$root"
  log "$release: copying the working tree into $root$WORKDIR"
  copy_checkout "$root"
  in_chroot "$root" "python3 -c 'from qgis.core import Qgis; print(Qgis.QGIS_VERSION)'; python3 -c 'import sys, numpy, scipy; from osgeo import gdal; print(\"Python\", sys.version.split()[0], \"numpy\", numpy.__version__, \"scipy\", scipy.__version__, \"GDAL\", gdal.__version__)'" \
    >"$logs/run/versions.txt" 2>"$logs/run/versions.err" || true

  # 1. `make test` as the project runs it; PYTEST_ADDOPTS only adds reporting: verbose lines (the last
  #    one started names a hung test; -vvv against the Makefile's -q, so that the -rfE reasons are not
  #    cut to the terminal's width), a module that fails to import reported without stopping the rest,
  #    JUnit XML, tracebacks after 10 min in one test, and every
  #    DeprecationWarning shown instead of ignored, so that the probe can list those from our files.
  local report="-vvv -rfE --continue-on-collection-errors -o faulthandler_timeout=600"
  report+=" -W default::DeprecationWarning -p deprecation_probe"
  log "$release: make test (log: $logs/test.log)"
  local t0=$SECONDS
  in_chroot "$root" "cd $WORKDIR && mkdir -p $out && rm -f $out/* && export PYTHONPATH=$WORKDIR/scripts/matrix \
      DEPRECATION_LOG=$out/deprecations.jsonl PYTEST_ADDOPTS='$report --junitxml=$out/junit.xml' && \
      timeout -s INT -k 60 $TEST_TIMEOUT make test" >"$logs/test.log" 2>&1 && echo 0 >"$logs/run/test-rc" ||
    echo $? >"$logs/run/test-rc"
  echo $((SECONDS - t0)) >"$logs/run/test-seconds"
  cp "$root$out/junit.xml" "$logs/run/junit.xml" 2>/dev/null || true
  cp "$root$out/deprecations.jsonl" "$logs/run/deprecations.jsonl" 2>/dev/null || touch "$logs/run/deprecations.jsonl"

  # 2. The same suite with DeprecationWarnings raised in the plugin's own modules turned into errors.
  #    A -W filter on the command line matches the module name exactly, hence one per module.
  if [ "$STRICT" = 1 ]; then
    local filters
    filters=$(cd "$root$WORKDIR" && find . -name '*.py' -not -path './tests/*' -not -path './scripts/*' \
      -not -path './bench/*' -not -path './.*' | sed -e 's|^\./||' -e 's|\.py$||' -e 's|/__init__$||' -e 's|/|.|g' |
      sed -e 's|^__init__$||' -e 's|^|-W error::DeprecationWarning:desert_carbon.|' -e 's|\.$||' | sort | tr '\n' ' ')
    log "$release: pytest with the plugin's DeprecationWarnings as errors (log: $logs/test-strict.log)"
    # (the probe writes each failure at once: this run can crash at its end, before pytest's report)
    in_chroot "$root" "cd $WORKDIR && export PYTHONPATH=$WORKDIR/scripts/matrix FAILURE_LOG=$out/strict-failures.jsonl && \
      timeout -s INT -k 60 $TEST_TIMEOUT .venv/bin/python -m pytest -vv -rfE -p deprecation_probe \
      --continue-on-collection-errors -o faulthandler_timeout=600 $filters --junitxml=$out/junit-strict.xml" >"$logs/test-strict.log" 2>&1 && echo 0 >"$logs/run/strict-rc" ||
      echo $? >"$logs/run/strict-rc"
    cp "$root$out/junit-strict.xml" "$logs/run/junit-strict.xml" 2>/dev/null || true
    cp "$root$out/strict-failures.jsonl" "$logs/run/strict-failures.jsonl" 2>/dev/null || true
  fi

  # 3. The demo, then its tables against the host's own demo-output/.
  log "$release: make demo (log: $logs/demo.log)"
  in_chroot "$root" "cd $WORKDIR && make demo" >"$logs/demo.log" 2>&1 && echo ok >"$logs/run/demo-status" ||
    echo failed >"$logs/run/demo-status"
  python3 "$REPO/scripts/matrix/compare_demo.py" --tolerance 1e-9 --json "$logs/run/demo-compare.json" \
    "$HOST_DEMO" "$root$WORKDIR/demo-output" >"$logs/demo-compare.log" 2>&1 || true
  echo $((SECONDS - start)) >"$logs/run/run-seconds"
  log "$release: done in $((SECONDS - start)) s"
}

# ---------------------------------------------------------------- main
matrix_start=$SECONDS
mkdir -p "$MATRIX"
# Builds are mostly downloads and dpkg: in parallel, each with its own log.
pids=()
for release in "${releases[@]}"; do
  mkdir -p "$MATRIX/$release/logs"
  build_release "$release" & pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null; wait' INT TERM
build_failed=0
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || { echo "${releases[$i]}: build failed, see $MATRIX/${releases[$i]}/logs/build.log" >&2; build_failed=1; }
done
trap - INT TERM
[ $build_failed -eq 0 ] || exit 1
log "builds done in $((SECONDS - matrix_start)) s"
[ "$BUILD_ONLY" = 1 ] && exit 0

snapshot_checkout
log "working tree snapshot taken ($(wc -l <"$MATRIX/checkout.txt") lines in $MATRIX/checkout.txt)"
# The reference numbers: the host's own demo (the host's QGIS), made again when missing or older than
# a Python file of the working tree (the chroots run today's code, so must the reference).
stale=$(cd "$REPO" && find . \( -path ./.build -o -path ./.venv -o -path ./.git -o -path ./demo-output \) -prune \
        -o -name '*.py' -newer "$HOST_DEMO/totals.csv" -print -quit 2>/dev/null || echo missing)
if [ ! -f "$HOST_DEMO/totals.csv" ] || [ -n "$stale" ]; then
  log "host: make demo (reference tables for the comparison; log: $MATRIX/host-demo.log)"
  if (cd "$REPO" && make demo) >"$MATRIX/host-demo.log" 2>&1; then
    echo "host demo made now" >"$MATRIX/host-demo-status"
  else   # others' half-done edits can break it: compare with the last good one rather than stop
    echo "host make demo FAILED (see .build/matrix/host-demo.log); reference tables from" \
      "$(date -r "$HOST_DEMO/totals.csv" '+%F %T' 2>/dev/null || echo nowhere)" | tee "$MATRIX/host-demo-status" >&2
  fi
else
  echo "host demo reused, made $(date -r "$HOST_DEMO/totals.csv" '+%F %T')" >"$MATRIX/host-demo-status"
fi

# Runs one after the other: the machine's cores go to one suite at a time, so timings stay comparable.
run_start=$SECONDS
for release in "${releases[@]}"; do run_release "$release"; done
log "runs done in $((SECONDS - run_start)) s (total $((SECONDS - matrix_start)) s)"

echo
status=0
for release in "${releases[@]}"; do
  python3 "$REPO/scripts/matrix/report.py" "$release" "$MATRIX/$release" >"$MATRIX/$release/logs/report.txt" || status=1
done
for release in "${releases[@]}"; do sed -n '/^== details/,$p' "$MATRIX/$release/logs/report.txt"; done
echo
echo "== test-matrix summary (details: .build/matrix/<release>/logs/report.txt)"
for release in "${releases[@]}"; do head -1 "$MATRIX/$release/logs/report.txt"; done
exit $status
