#!/usr/bin/env bash
# Compiles TypeScript to dist/, bundles the CLI for a fast start (scripts/bundle.mjs) with V8's code
# cache beside its chunks (scripts/warm-code-cache.mjs), and makes the `agent` bin executable (tsc writes files without the execute bit, and npx runs a project's own bin directly).
# main.js, which runs main.cjs, stays executable too: the bin was main.js before, and npx keeps the
# links it made to a project's bin in its cache.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH"
tsc -p tsconfig.json
node scripts/bundle.mjs
node scripts/warm-code-cache.mjs
chmod 755 dist/cli/main.cjs dist/cli/main.js
