#!/usr/bin/env bash
# Headless Chromium for the browser tests (app/browsertest, chromedp).
#
#   scripts/chromium.sh ensure   install Debian's `chromium` with apt when
#                                /usr/bin/chromium (or $CHROMIUM_PATH) is missing
#   scripts/chromium.sh path     print the browser path
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

log() { echo "chromium.sh: $*" >&2; }

as_admin() {
	if [[ "$(id -u)" == 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo -n "$@"
	else
		log "Chromium is missing and you are not root: apt-get install chromium (or set CHROMIUM_PATH)"
		exit 1
	fi
}

case "${1:-}" in
ensure)
	if [[ -x "$CHROMIUM" ]]; then
		exit 0
	fi
	log "installing chromium with apt"
	as_admin env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		chromium fonts-liberation >&2
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
