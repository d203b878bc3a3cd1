#!/bin/sh
# deps.sh - make sure the Debian packages dossier needs are installed
#
# Run by `make test`, `make demo` and .ci/run before building.  As root it
# installs what is missing with apt-get; otherwise it prints the exact
# apt-get line and stops, so that a user is never left with a half build.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

missing=""
for p in "$@"; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$st" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "dossier: missing packages:$missing (not a Debian system: install their equivalents)" >&2
    exit 2
fi
if [ "$(id -u)" != 0 ]; then
    echo "dossier: missing Debian packages; install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 2
fi
echo "dossier: installing missing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || { echo "dossier: apt-get update failed" >&2; exit 2; }
# shellcheck disable=SC2086
apt-get install -y -qq $missing >&2 || {
    echo "dossier: apt-get install -y$missing failed" >&2; exit 2; }
