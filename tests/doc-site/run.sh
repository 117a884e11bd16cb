#!/usr/bin/env bash
# Build the generated StackQL MDX pages with a real Docusaurus 3 site and check
# the result in headless Chromium.
#
#   bash tests/doc-site/run.sh DOCS_DIR [BUILD_OUT_DIR] [-- BROWSER_CHECK_ARGS...]
#
# DOCS_DIR holds service folders as written by `cargo xtask docs --out DIR`:
# DOCS_DIR/<service>/index.md and DOCS_DIR/<service>/<resource>/index.md.
# BUILD_OUT_DIR (default tests/doc-site/build) receives the built site, the
# build log (outside the site: BUILD_OUT_DIR.build.log) and the screenshot.
# Arguments after `--` go to browser-check.mjs (e.g. --expect 'PATH::TEXT').
#
# Environment:
#   DOC_SITE_PAGE        page the detailed browser check opens
#                        (default /services/aiplatform/notebook_execution_jobs/)
#   DOC_SITE_SCREENSHOT  screenshot file (default BUILD_OUT_DIR/screenshot.png)
#   DOC_SITE_STRICT_LINKS=1  fail (not just warn) on service-index links to
#                        /services/ pages that were not built; use it for a
#                        complete `cargo xtask docs` tree, not the golden subset
#
# Steps: npm ci (only when node_modules is missing or package-lock.json
# changed), apt-get install chromium (only when /usr/bin/chromium is missing),
# copy DOCS_DIR to tests/doc-site/docs/, `docusaurus build`, serve the build on
# 127.0.0.1, run browser-check.mjs. Exits non-zero on the first failure.
set -euo pipefail

SITE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHROMIUM=/usr/bin/chromium

log() { printf 'doc-site: %s\n' "$*"; }
die() { printf '\ndoc-site: FAILED: %s\n' "$*" >&2; exit 1; }
usage() {
  echo "usage: bash tests/doc-site/run.sh DOCS_DIR [BUILD_OUT_DIR] [-- BROWSER_CHECK_ARGS...]" >&2
  exit 2
}

# ---- arguments ---------------------------------------------------------------
POSITIONAL=()
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) usage ;;
    *) POSITIONAL+=("$1"); shift ;;
  esac
done
[ "${#POSITIONAL[@]}" -ge 1 ] && [ "${#POSITIONAL[@]}" -le 2 ] || usage
DOCS_DIR="${POSITIONAL[0]}"
BUILD_OUT_DIR="${POSITIONAL[1]:-$SITE_DIR/build}"

[ -d "$DOCS_DIR" ] || die "DOCS_DIR is not a directory: $DOCS_DIR"
DOCS_DIR="$(cd "$DOCS_DIR" && pwd -P)"
mkdir -p "$(dirname "$BUILD_OUT_DIR")"
BUILD_OUT_DIR="$(cd "$(dirname "$BUILD_OUT_DIR")" && pwd -P)/$(basename "$BUILD_OUT_DIR")"
PAGE="${DOC_SITE_PAGE:-/services/aiplatform/notebook_execution_jobs/}"
SCREENSHOT="${DOC_SITE_SCREENSHOT:-$BUILD_OUT_DIR/screenshot.png}"
BUILD_LOG="$BUILD_OUT_DIR.build.log"

case "$DOCS_DIR" in
  "$SITE_DIR"/docs|"$SITE_DIR"/docs/*) die "DOCS_DIR must not be inside $SITE_DIR/docs (that folder is replaced on each run)" ;;
esac
pages=$(find "$DOCS_DIR" -name '*.md' -o -name '*.mdx' | wc -l)
[ "$pages" -gt 0 ] || die "no .md/.mdx pages under $DOCS_DIR"
page_src="$DOCS_DIR/$(echo "$PAGE" | sed -e 's|^/services/||' -e 's|/*$||')/index.md"
[ -f "$page_src" ] || die "the page to check, $PAGE, has no source $page_src (set DOC_SITE_PAGE)"
# Docusaurus empties the output folder: refuse to point it at anything that is
# not empty and does not look like an earlier build.
if [ -d "$BUILD_OUT_DIR" ] && [ -n "$(ls -A "$BUILD_OUT_DIR")" ] && [ ! -f "$BUILD_OUT_DIR/404.html" ]; then
  die "BUILD_OUT_DIR $BUILD_OUT_DIR is not empty and is not an earlier build; refusing to overwrite it"
fi

export NO_UPDATE_NOTIFIER=1 NPM_CONFIG_UPDATE_NOTIFIER=false
now() { date +%s; }
T0=$(now)

# ---- node dependencies -------------------------------------------------------
cd "$SITE_DIR"
command -v node >/dev/null || die "node is not installed"
command -v npm >/dev/null || die "npm is not installed"
DEPS_STAMP="node_modules/.doc-site-deps.sha256"
want_stamp="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [ ! -d node_modules ] || [ ! -f "$DEPS_STAMP" ] || [ "$(cat "$DEPS_STAMP")" != "$want_stamp" ]; then
  log "npm ci (node_modules missing or package-lock.json changed)"
  t=$(now)
  npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed in $SITE_DIR"
  echo "$want_stamp" > "$DEPS_STAMP"
  log "npm ci took $(( $(now) - t ))s"
else
  log "node_modules up to date"
fi

# ---- chromium ----------------------------------------------------------------
if [ ! -x "$CHROMIUM" ]; then
  log "installing Debian's chromium (apt-get)"
  [ "$(id -u)" = 0 ] || die "$CHROMIUM is missing and we are not root: apt-get install -y chromium chromium-driver"
  t=$(now)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq chromium chromium-driver >/dev/null || die "apt-get install chromium chromium-driver failed"
  [ -x "$CHROMIUM" ] || die "$CHROMIUM still missing after apt-get install"
  log "chromium install took $(( $(now) - t ))s"
fi

# ---- docs --------------------------------------------------------------------
log "copying $pages pages from $DOCS_DIR to $SITE_DIR/docs"
rm -rf "$SITE_DIR/docs"
mkdir -p "$SITE_DIR/docs"
cp -R "$DOCS_DIR"/. "$SITE_DIR/docs"/

# ---- build -------------------------------------------------------------------
# The source page in DOCS_DIR of a built route such as /services/a/b/.
route_source() {
  local rel="${1#/services/}"
  rel="${rel%/}"
  local c
  for c in "$rel/index.md" "$rel/index.mdx" "$rel.md" "$rel.mdx"; do
    [ -f "$DOCS_DIR/$c" ] && { echo "$DOCS_DIR/$c"; return; }
  done
  echo "(no source found for route $1)"
}

# Lists the pages that failed, from Docusaurus's two kinds of failure: an MDX
# compile error (bad `<` or unbalanced `{`), and a page that compiles but
# throws while rendered to static HTML (e.g. `{project_id}` read as a JS
# expression: ReferenceError).
summarize_build_errors() {
  local logf="$1" f rel route cause
  echo
  echo "---- pages that failed to build ----"
  grep -o 'MDX compilation failed for file "[^"]*"' "$logf" | sed 's/.*for file "\(.*\)"/\1/' | sort -u |
    while IFS= read -r f; do
      rel="${f#"$SITE_DIR"/docs/}"
      cause=$(grep -F -A1 "for file \"$f\"" "$logf" | grep -m1 '^Cause:' || true)
      echo "  $DOCS_DIR/$rel"
      echo "      MDX compile error: ${cause#Cause: }"
    done || true
  grep -o "Can't render static file for pathname \"[^\"]*\"" "$logf" | sed 's/.*pathname "\(.*\)"/\1/' | sort -u |
    while IFS= read -r route; do
      cause=$(grep -F -A6 "for pathname \"$route\"" "$logf" | grep -m1 '\[cause\]:' | sed 's/^ *\[cause\]: *//' || true)
      echo "  $(route_source "$route")  (route $route)"
      echo "      render error: $cause"
    done || true
  if ! grep -q -e 'MDX compilation failed for file' -e "Can't render static file" "$logf"; then
    grep -E -A15 '^\[ERROR\]' "$logf" | head -60 || tail -40 "$logf"
  fi
}

log "docusaurus build -> $BUILD_OUT_DIR (log: $BUILD_LOG)"
t=$(now)
set +e
./node_modules/.bin/docusaurus build --out-dir "$BUILD_OUT_DIR" 2>&1 | tee "$BUILD_LOG"
build_rc=${PIPESTATUS[0]}
set -e
if [ "$build_rc" -ne 0 ]; then
  summarize_build_errors "$BUILD_LOG" >&2
  die "docusaurus build exited $build_rc: a page did not compile or render (see the errors above and $BUILD_LOG)"
fi
[ -f "$BUILD_OUT_DIR/404.html" ] || die "build reported success but $BUILD_OUT_DIR has no 404.html"
built=$(find "$BUILD_OUT_DIR/services" -name index.html | wc -l)
log "build took $(( $(now) - t ))s: $built pages under /services/"
if grep -q 'Docusaurus found broken links' "$BUILD_LOG"; then
  log "note: the build reported broken links (warnings only, see $BUILD_LOG)"
fi

# ---- serve + browser check ---------------------------------------------------
PORT_FILE="$(mktemp)"
rm -f "$PORT_FILE"
node "$SITE_DIR/serve.mjs" "$BUILD_OUT_DIR" "$PORT_FILE" >/dev/null &
SERVER_PID=$!
cleanup() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  rm -f "$PORT_FILE"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  [ -s "$PORT_FILE" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "static server exited early"
  sleep 0.1
done
[ -s "$PORT_FILE" ] || die "static server did not start within 10s"
BASE_URL="http://127.0.0.1:$(cat "$PORT_FILE")"
log "serving $BUILD_OUT_DIR at $BASE_URL"

t=$(now)
node "$SITE_DIR/browser-check.mjs" --base-url "$BASE_URL" --page "$PAGE" \
  --build-dir "$BUILD_OUT_DIR" --screenshot "$SCREENSHOT" ${EXTRA[@]+"${EXTRA[@]}"} \
  || die "browser check failed (see above)"
log "browser check took $(( $(now) - t ))s"
log "OK: $built pages built and rendered in $(( $(now) - T0 ))s; screenshot: $SCREENSHOT"
