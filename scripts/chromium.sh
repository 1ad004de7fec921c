#!/usr/bin/env bash
# Headless Chromium for the browser tests (app/browsertest, chromedp).
#
#   scripts/chromium.sh ensure   install Debian's `chromium` with apt when
#                                /usr/bin/chromium (or $CHROMIUM_PATH) is missing
#   scripts/chromium.sh path     print the browser path
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

log() { echo "chromium.sh: $*" >&2; }

case "${1:-}" in
ensure)
	if [[ -x "$CHROMIUM" ]]; then
		exit 0
	fi
	log "installing chromium with apt"
	"$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" chromium fonts-liberation ||
		{ log "or set CHROMIUM_PATH to a browser"; exit 1; }
	[[ -x "$CHROMIUM" ]] || { log "$CHROMIUM still missing after installation"; exit 1; }
	"$CHROMIUM" --version >&2 || true
	;;
path)
	echo "$CHROMIUM"
	;;
*)
	sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
