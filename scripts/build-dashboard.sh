#!/usr/bin/env bash
# Builds the dashboard (dashboard/src -> dashboard/dist/dashboard/), which the Worker
# serves as static assets at /dashboard/: ECharts and the app bundled by esbuild into one
# module, plus the page and its style. Skips when nothing changed since the last build.
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
