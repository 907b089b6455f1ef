#!/usr/bin/env bash
# Installs the Debian packages given as arguments that are not installed yet (the list
# itself lives in the Makefile: DEB_PACKAGES). Runs `apt-get update` only when something
# is missing. Adds nodejs and npm when there is no `node` / `npm` command.
#
# While installing, services are not started (a temporary /usr/sbin/policy-rc.d), so the
# system's MariaDB and nginx do not come up on ports 3306/80: the development and test
# stacks run their own instances. Set VSOK_DEPS_START_SERVICES=1 (make deps-prod) to let
# them start, as a production server wants.
set -euo pipefail

SUDO=()
if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "deps.sh: run as root or install sudo" >&2; exit 1; }
    SUDO=(sudo)
fi

missing=()
for pkg in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$pkg")
done
if ! command -v node >/dev/null; then
    missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
elif ! command -v npm >/dev/null; then
    missing+=(npm)
fi

if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "deps.sh: installing ${missing[*]}"

POLICY=/usr/sbin/policy-rc.d
made_policy=
if [[ ${VSOK_DEPS_START_SERVICES:-0} != 1 && ! -e $POLICY ]]; then
    printf '#!/bin/sh\n# temporary, made by ВСОК ДО deps.sh: start no service while installing\nexit 101\n' |
        "${SUDO[@]}" tee "$POLICY" >/dev/null
    "${SUDO[@]}" chmod 0755 "$POLICY"
    made_policy=1
fi
cleanup() { [[ -z $made_policy ]] || "${SUDO[@]}" rm -f "$POLICY"; }
trap cleanup EXIT

APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
"${APT[@]}" update -q
"${APT[@]}" install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
