#!/bin/sh
# Update the vendored plotly.js basic bundle (generator/vendor/plotly-basic.min.js); see generator/vendor/README.md.
#   tools/update-plotly.sh [VERSION]      # VERSION of the npm package plotly.js-basic-dist-min; default: latest
set -eu
version="${1:-latest}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/generator/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "plotly.js-basic-dist-min@$version" >/dev/null
tar -xzf plotly.js-basic-dist-min-*.tgz
test -f package/plotly-basic.min.js && test -f package/LICENSE
grep -q '"license": "MIT"' package/package.json || { echo "the package is no longer MIT-licensed: stop" >&2; exit 1; }
cp package/plotly-basic.min.js package/LICENSE "$dest/"
got="$(sed -n 's/.*"version": "\([^"]*\)".*/\1/p' package/package.json)"
echo "plotly.js-basic-dist-min@$got → $dest"
echo "sha256: $(sha256sum "$dest/plotly-basic.min.js" | cut -d' ' -f1)"
echo "bytes:  $(wc -c < "$dest/plotly-basic.min.js"); gzip -9: $(gzip -9c "$dest/plotly-basic.min.js" | wc -c)"
echo "Now update the table in generator/vendor/README.md and run the unit and browser tests."
