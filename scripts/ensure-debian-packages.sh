#!/usr/bin/env bash
# Installs Debian/Ubuntu packages when they are missing: ensure-debian-packages.sh PKG...
# Used by the scale-out test for redis-server and postgresql on fresh CI machines.
# `apt-get update` runs only when apt does not know a package yet.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "Gebruik / usage: $0 PAKKET..." >&2
    exit 64
fi

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for package in "$@"; do
    if installed "$package"; then
        echo ">> $package is al geïnstalleerd / already installed"
    else
        missing+=("$package")
    fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "FOUT: apt-get ontbreekt; installeer zelf / apt-get missing, please install: ${missing[*]}" >&2
    exit 69
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "FOUT: root of sudo nodig om te installeren / root or sudo needed to install: ${missing[*]}" >&2
    exit 77
fi

export DEBIAN_FRONTEND=noninteractive
for package in "${missing[@]}"; do
    if ! apt-cache show "$package" >/dev/null 2>&1; then
        echo ">> Pakketlijsten bijwerken / apt-get update (${package} nog onbekend) ..."
        "${as_root[@]}" apt-get update -qq
        break
    fi
done

echo ">> Installeren / installing: ${missing[*]} ..."
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo ">> Geïnstalleerd / installed: ${missing[*]}"
