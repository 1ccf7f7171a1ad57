#!/usr/bin/env bash
# Installs, from Debian/Ubuntu packages, every system tool `npm test` drives that is
# not on the PATH yet (the list: scripts/test-tools.txt). Reads: that list, the PATH.
# Writes: system packages (apt-get, as root or through sudo). `--print` only prints the
# packages it would install, one a line, and changes nothing.
set -euo pipefail
# Builtins only (no dirname), so --print works on any PATH.
case "${BASH_SOURCE[0]}" in */*) here="${BASH_SOURCE[0]%/*}" ;; *) here=. ;; esac

packages=()
while read -r command package _; do
  case "$command" in '' | '#'*) continue ;; esac
  if ! command -v "$command" >/dev/null 2>&1; then
    case " ${packages[*]-} " in *" $package "*) ;; *) packages+=("$package") ;; esac
  fi
done <"$here/test-tools.txt"

if [ "${1-}" = "--print" ]; then
  for package in "${packages[@]}"; do printf '%s\n' "$package"; done
  exit 0
fi
if [ "${#packages[@]}" = 0 ]; then
  echo "Every tool npm test drives is installed."
  exit 0
fi

as_root=()
if [ "$EUID" != 0 ]; then as_root=(sudo); fi
echo "Installing ${packages[*]}"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
