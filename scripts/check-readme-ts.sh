#!/usr/bin/env bash
# Compiles the README's TypeScript example against the built package and runs it, so
# the README's JS quick start stays true.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/readme-check
rm -rf "$dir" && mkdir -p "$dir"
node -e '
  const s = require("fs").readFileSync("README.md", "utf8");
  const start = s.indexOf("```ts\n");
  if (start < 0) { console.error("README.md has no ```ts block"); process.exit(1); }
  const body = s.slice(start + 6, s.indexOf("```", start + 6));
  require("fs").writeFileSync(process.argv[1], body);
' "$dir/snippet.mts"
cat > "$dir/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
  "strict": true, "types": ["node"], "outDir": "out" }, "include": ["snippet.mts"] }
JSON
node_modules/.bin/tsc -p "$dir"
node "$dir/out/snippet.mjs" > /dev/null
echo "README TypeScript example: compiled and ran"
