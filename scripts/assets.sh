#!/usr/bin/env bash
# Vendors the front-end assets from the npm registry (`make assets`):
#   @gouvfr/dsfr  dist/ run-time subset  -> static/dsfr/
#   htmx.org      dist/htmx.min.js       -> static/htmx/htmx.min.js
#   axe-core      axe.min.js             -> app/browsertest/testdata/axe.min.js
# and records the versions in static/VERSIONS. The result is committed: the
# binary embeds static/, so building never needs npm.
#
# Versions are pinned below. To move to the newest release of the same line:
#   scripts/assets.sh --latest     (DSFR 1.14.x, htmx 2.0.x, axe-core 4.x)
# or override one: DSFR_VERSION=1.14.4 scripts/assets.sh
set -euo pipefail

DSFR_VERSION="${DSFR_VERSION:-1.14.4}"
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
AXE_VERSION="${AXE_VERSION:-4.14.1}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

command -v npm >/dev/null || { echo "assets: npm is required" >&2; exit 1; }

# latest RANGE PACKAGE: the highest published version matching RANGE.
latest() {
	npm view "$2@$1" version --json 2>/dev/null | tr -d '[]" \n' | tr ',' '\n' | sort -V | tail -n1
}

if [[ "${1:-}" == "--latest" ]]; then
	DSFR_VERSION="$(latest '~1.14.0' @gouvfr/dsfr)"
	HTMX_VERSION="$(latest '~2.0.0' htmx.org)"
	AXE_VERSION="$(latest '^4.0.0' axe-core)"
	[[ -n "$DSFR_VERSION" && -n "$HTMX_VERSION" && -n "$AXE_VERSION" ]] || { echo "assets: could not resolve versions" >&2; exit 1; }
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fetch() { # fetch PACKAGE VERSION DIR
	local tgz
	tgz="$(cd "$tmp" && npm pack --silent "$1@$2" 2>/dev/null | tail -n1)"
	mkdir -p "$tmp/$3"
	tar -xzf "$tmp/$tgz" -C "$tmp/$3" --strip-components=1
}

echo "assets: @gouvfr/dsfr@$DSFR_VERSION htmx.org@$HTMX_VERSION axe-core@$AXE_VERSION"
fetch @gouvfr/dsfr "$DSFR_VERSION" dsfr
fetch htmx.org "$HTMX_VERSION" htmx
fetch axe-core "$AXE_VERSION" axe

# DSFR: keep the layout the CSS expects (fonts/, icons/, favicon/ next to
# dsfr.min.css; utility/ a sibling of icons/ since it uses ../icons/...).
src="$tmp/dsfr/dist"
dst="static/dsfr"
rm -rf "$dst"
mkdir -p "$dst/utility"
cp "$src/dsfr.min.css" "$src/dsfr.module.min.js" "$src/dsfr.nomodule.min.js" "$dst/"
cp "$src/utility/utility.min.css" "$dst/utility/"
cp -R "$src/fonts" "$src/icons" "$src/favicon" "$src/artwork" "$dst/"
cp "$tmp/dsfr/LICENSE.md" "$dst/LICENSE.md"
find "$dst" \( -name '*.map' -o -name '*.md' ! -name LICENSE.md \) -type f -delete
# Strip the source-map comments that point at the dropped .map files.
sed -i -e 's@/\*# sourceMappingURL=[^*]*\*/@@' -e 's@//# sourceMappingURL=.*$@@' \
	"$dst/dsfr.min.css" "$dst/utility/utility.min.css" "$dst/dsfr.module.min.js" "$dst/dsfr.nomodule.min.js"

mkdir -p static/htmx
cp "$tmp/htmx/dist/htmx.min.js" static/htmx/htmx.min.js
cp "$tmp/htmx/LICENSE" static/htmx/LICENSE

mkdir -p app/browsertest/testdata
cp "$tmp/axe/axe.min.js" app/browsertest/testdata/axe.min.js

cat > static/VERSIONS <<VERSIONS
# Vendored by scripts/assets.sh (make assets) from the npm registry.
@gouvfr/dsfr $DSFR_VERSION
htmx.org $HTMX_VERSION
axe-core $AXE_VERSION
VERSIONS

echo "assets: static/dsfr $(du -sh --apparent-size "$dst" | cut -f1), static/htmx $(du -sh --apparent-size static/htmx | cut -f1), axe $(du -sh --apparent-size app/browsertest/testdata/axe.min.js | cut -f1)"
