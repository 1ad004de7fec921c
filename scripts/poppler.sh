#!/usr/bin/env bash
# Poppler's command-line tools for the SACEM PDF tests (app/sacempdf reads its
# PDFs back with pdftotext and pdfinfo).
#
#   scripts/poppler.sh ensure   install Debian's `poppler-utils` with apt when
#                               pdftotext or pdfinfo is missing
set -euo pipefail

present() { command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; }

case "${1:-}" in
ensure)
	if present; then
		exit 0
	fi
	echo "poppler.sh: installing poppler-utils with apt" >&2
	"$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" poppler-utils
	present || { echo "poppler.sh: pdftotext still missing after installation" >&2; exit 1; }
	;;
*)
	sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
