#!/usr/bin/env bash
# `npm test`: starts what the tests need, builds, then runs unit specs and end-to-end suites.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm install --no-audit --no-fund
bash scripts/test-services.sh
npm run --silent build

mapfile -t specs < <(find dist/libs dist/apps -name '*.spec.js' | sort)
mapfile -t suites < <(find dist/test -name '*.e2e.js' | sort)
# Each end-to-end suite starts its own api and agent processes on its own database;
# two at a time keeps a 2-core machine busy without starving the processes under test.
node --test --test-reporter=spec --test-concurrency=2 "${specs[@]}" "${suites[@]}"
