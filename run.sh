#!/usr/bin/env bash
# Installs what is missing, builds, and starts Distillery on the built-in demo workspace.
#   ./run.sh             the desktop app (needs a display)
#   ./run.sh --headless  the same main job without a display, printing its report
set -euo pipefail
cd "$(dirname "$0")"
headless=0
for a in "$@"; do [[ "$a" == "--headless" ]] && headless=1; done
scripts/install-deps.sh
scripts/build.sh
data_dir="${XDG_DATA_HOME:-$HOME/.local/share}/Distillery"
mkdir -p "$data_dir"
workspace="$data_dir/demo.distillery"
if ((headless)) || [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && "${QT_QPA_PLATFORM:-}" != offscreen ]]; then
  exec build/app/cli/distillery-cli demo --workspace "$workspace"
fi
exec build/app/gui/distillery --workspace "$workspace"
