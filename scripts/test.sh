#!/usr/bin/env bash
# `npm test`: starts what the tests need, builds, lints the OpenAPI document, then runs unit specs
# and end-to-end suites, the suites once on PostgreSQL + Redis and once on the embedded storage
# (PGlite, in-process queue).
# CARAVAN_TEST_STORAGE=external or =embedded runs the suites on that storage only.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm install --no-audit --no-fund
bash scripts/test-services.sh
npm run --silent build

# dist/test holds specs too: the Helm chart check (test/helm-chart.spec.ts).
mapfile -t specs < <(find dist/libs dist/apps dist/test -name '*.spec.js' | sort)
mapfile -t suites < <(find dist/test -name '*.e2e.js' | sort)
read -r -a storages <<< "${CARAVAN_TEST_STORAGE:-external embedded}"

status=0
# The committed OpenAPI document against Redocly's rules (redocly.yaml); the suites still run when it
# fails, and so does generate-sdk.e2e, which fails when the document or the SDK is stale.
echo "== OpenAPI lint"
npm run --silent lint:openapi || status=$?

# Each end-to-end suite starts its own Caravan processes on its own database; two at a time keeps a
# 2-core machine busy without starving the processes under test.
for storage in "${storages[@]}"; do
  echo "== end-to-end suites on ${storage} storage"
  if [ "$storage" = "${storages[0]}" ]; then files=("${specs[@]}" "${suites[@]}"); else files=("${suites[@]}"); fi
  CARAVAN_TEST_STORAGE="$storage" node --test --test-reporter=spec --test-concurrency=2 "${files[@]}" || status=$?
done
exit "$status"
