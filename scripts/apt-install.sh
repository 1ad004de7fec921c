#!/usr/bin/env bash
# Installs Debian packages for the bootstrap scripts (chromium.sh, poppler.sh),
# as root or through a password-less sudo.
#
#   scripts/apt-install.sh PACKAGE...
set -euo pipefail

if [[ $# == 0 ]]; then
	sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi

as_admin() {
	if [[ "$(id -u)" == 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo -n "$@"
	else
		echo "apt-install.sh: you are not root and sudo needs a password: apt-get install $*" >&2
		exit 1
	fi
}

as_admin env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
