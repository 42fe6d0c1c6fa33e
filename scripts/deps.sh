#!/bin/sh
# Installs the Debian 12 packages cipherline's build and tests need (with --bench: the
# benchmark peers too), and only those that are missing. Runs apt-get update at most once.
set -eu

PKGS="make gcc libc6-dev pkg-config clang libclang-rt-14-dev libssl-dev openssl
libsrtp2-dev libyaml-dev valgrind python3 sip-tester stunnel4"
# Benchmark peers (make bench passes --bench); make check does not need them.
if [ "${1:-}" = "--bench" ]; then
	PKGS="$PKGS kamailio kamailio-tls-modules"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps: need root (or sudo) to install:$missing" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
