#!/usr/bin/env bash
# Installs what is missing, builds, and starts Distillery on the built-in demo workspace.
#   ./run.sh             the desktop app (needs a display)
#   ./run.sh --headless  the same main job without a display, printing its report
set -euo pipefail
cd "$(dirname "$0")"
headless=0
for a in "$@"; do [[ "$a" == "--headless" ]] && headless=1; done
scripts/install-deps.sh
data_dir="${XDG_DATA_HOME:-$HOME/.local/share}/Distillery"
mkdir -p "$data_dir"
workspace="$data_dir/demo.distillery"
# Only what runs is built (./test.sh builds everything).
if ((headless)) || [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && "${QT_QPA_PLATFORM:-}" != offscreen ]]; then
  DISTILLERY_TARGETS=distillery-cli scripts/build.sh
  exec build/app/cli/distillery-cli demo --workspace "$workspace"
fi
DISTILLERY_TARGETS="distillery-cli distillery" scripts/build.sh
# A new demo workspace runs the toy pipeline in the window (the Pipeline page, Stop to end it).
exec build/app/gui/distillery --workspace "$workspace" --demo
