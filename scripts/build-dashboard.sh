#!/usr/bin/env bash
# Builds the dashboard (dashboard/src -> dashboard/dist/dashboard/), which the Worker
# serves as static assets at /dashboard/: ECharts and the app bundled by esbuild into one
# module, plus the page and its style; and Swagger UI's script and style for /docs,
# served at /swagger/. Skips when nothing changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
out=dashboard/dist/dashboard
if [ -f "$out/dashboard.js" ] && [ -z "$(find dashboard/src dashboard/public package-lock.json -newer "$out/dashboard.js" -print -quit)" ]; then
  exit 0
fi
rm -rf dashboard/dist
mkdir -p "$out"
node_modules/.bin/esbuild dashboard/src/main.js --bundle --format=esm --minify --target=es2022 \
  --legal-comments=external --outfile="$out/dashboard.js" --log-level=warning
cp dashboard/public/* "$out/"
# Swagger UI for /docs (the Worker serves the page; its script and style are assets).
mkdir -p dashboard/dist/swagger
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
  node_modules/swagger-ui-dist/LICENSE dashboard/dist/swagger/
