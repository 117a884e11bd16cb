#!/usr/bin/env bash
# Self-test of the doc-site harness itself (not needed to check generator
# output; use run.sh for that). Three runs of run.sh:
#   1. the golden aiplatform pages plus fixtures/selftest_entities (escaped
#      `&#123;` `&lt;` `&amp;` ... must render as `{` `<` `&`): must pass;
#   2. a page with an unescaped `{...}` in a table cell: must fail;
#   3. a page with an unescaped `<zone>` in text: must fail.
#
#   bash tests/doc-site/selftest.sh
set -euo pipefail

SITE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SITE_DIR/../.." && pwd)"
GOLDEN="$REPO_DIR/tests/fixtures/golden/stackql/aiplatform"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0

ok() { echo "selftest: ok   $*"; passed=$((passed + 1)); }
bad() { echo "selftest: FAIL $*"; failed=$((failed + 1)); }

# 1. good pages, including escaped characters.
mkdir -p "$WORK/good"
cp -R "$GOLDEN" "$WORK/good/aiplatform"
cp -R "$SITE_DIR/fixtures/selftest_entities" "$WORK/good/"
P=/services/selftest_entities/escapes/
if bash "$SITE_DIR/run.sh" "$WORK/good" "$WORK/good-build" -- \
  --expect "$P::braces {project}, angle brackets <zone>, ampersand & and a quote \"q\"." \
  --expect "$P::Format: projects/{project_id}/zones/<zone> (a <= b && c > d)" \
  --expect "$P::WHERE project = '{{ project }}' AND a < b;" \
  > "$WORK/good.log" 2>&1; then
  ok "golden pages + escaped entities build and render"
else
  cat "$WORK/good.log"
  bad "golden pages + escaped entities (log above)"
fi

# 2./3. pages that must not compile.
expect_failure() {
  local name="$1" body="$2"
  local docs="$WORK/$name"
  mkdir -p "$docs/aiplatform" "$docs/broken/$name"
  cp -R "$GOLDEN/notebook_execution_jobs" "$docs/aiplatform/"
  printf -- '---\ntitle: %s\n---\n\n%s\n' "$name" "$body" > "$docs/broken/$name/index.md"
  if bash "$SITE_DIR/run.sh" "$docs" "$WORK/$name-build" > "$WORK/$name.log" 2>&1; then
    cat "$WORK/$name.log"
    bad "$name: run.sh passed on a page that must not compile"
  elif grep -q 'a page did not compile' "$WORK/$name.log" && grep -q "broken/$name/index.md" "$WORK/$name.log"; then
    ok "$name: run.sh fails and names broken/$name/index.md"
  else
    cat "$WORK/$name.log"
    bad "$name: run.sh failed, but not with a build error naming the page"
  fi
}
expect_failure unescaped_brace '<table><tbody><tr><td>Format: projects/{project_id}/zones</td></tr></tbody></table>'
expect_failure unescaped_angle 'Format: projects/<zone>/instances'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
