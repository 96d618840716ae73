#!/usr/bin/env bash
# Copy the front-end packages installed by npm into static files (the app never uses a CDN).
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=exportgov/static/vendor
rm -rf "$vendor"
mkdir -p "$vendor/uswds" "$vendor/htmx"
for part in css js fonts img; do
  cp -r "node_modules/@uswds/uswds/dist/$part" "$vendor/uswds/$part"
done
cp node_modules/htmx.org/dist/htmx.min.js "$vendor/htmx/htmx.min.js"
