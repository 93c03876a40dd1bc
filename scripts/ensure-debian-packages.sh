#!/usr/bin/env bash
# Installs Debian packages that tests need (chromium, redis-server, ...) when
# they are missing. Usage: scripts/ensure-debian-packages.sh PACKAGE...
# Runs apt-get update only once per run of this script, and only when needed.
set -euo pipefail

missing=()
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "FOUT: deze pakketten ontbreken en ik mag ze niet installeren (geen root of sudo): ${missing[*]}" >&2
  echo "Installeer ze als beheerder: apt-get install -y ${missing[*]}" >&2
  exit 3
fi

echo ">> Debian-pakketten installeren: ${missing[*]} (eenmalig, ongeveer een minuut) ..."
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo ">> Geïnstalleerd: ${missing[*]}"
