#!/usr/bin/env bash
# One Web Security Checker scan in CI: start it, wait, write the reports, gate.
# Used by action.yml (GitHub) and ci/gitlab/wsc.gitlab-ci.yml; runs anywhere bash does.
#
# Inputs (environment):
#   WSC_URL           target URL (required)
#   WSC_FAIL_ON       high|medium|low: exit 10 with findings at or above it
#   WSC_FAIL_ON_NEW   high|medium|low: with WSC_BASELINE, exit 10 only when a level at or above it grew
#   WSC_BASELINE      a report saved by an earlier run (its wsc-report.json), of the same target
#   WSC_BASELINE_ANY_TARGET  "true" to accept a baseline of another target
#   WSC_MEMO          memo of the job
#   WSC_SITE          NCP site: public or gov (other sites: WSC_ENDPOINT)
#   WSC_ENDPOINT      WSC base URL, instead of a site (read by wsc itself)
#   WSC_CA_BUNDLE     a PEM file of extra CA certificates (read by wsc itself)
#   WSC_INTERVAL      seconds between polls (default 60)
#   WSC_WAIT_TIMEOUT  give up waiting after this many seconds (default 14400; exit 3)
#   WSC_HISTORY       chart this many past scans in the HTML report (default 5; 0: none)
#   WSC_OUT_DIR       where the files go (default .)
#   WSC_BIN           the wsc binary (default: wsc on PATH)
#   credentials as wsc reads them: NCLOUD_ACCESS_KEY_ID, NCLOUD_SECRET_ACCESS_KEY (from secrets)
#
# Leaves in WSC_OUT_DIR: wsc.sarif, wsc-junit.xml, wsc-report.html, wsc-summary.md,
# wsc-report.json (the report, Login_Info masked: the next run's baseline) and
# wsc-result.json (the wait outcome). Each is written whole or not at all, and
# those files are removed first: after a failed step, no file from an earlier
# run is left to be uploaded as this run's. Appends the Markdown summary to
# $GITHUB_STEP_SUMMARY and writes job-id and exit-code to $GITHUB_OUTPUT when set.
# Exits with wsc's code: 0 passed, 10 the gate failed, others see `wsc --help`.
# The gate's verdict is printed once, by the scan step.
set -uo pipefail

wsc="${WSC_BIN:-wsc}"
out="${WSC_OUT_DIR:-.}"
url="${WSC_URL:-}"
if [ -z "$url" ]; then
  echo "error: WSC_URL (the action's 'url' input) is required" >&2
  exit 2
fi
# Everything the run will need is checked before the billed createJob: a
# mistake found after it would be a scan paid for and not reported.
input_error() {
  echo "error: $1; no scan was started" >&2
  exit 2
}
mkdir -p "$out" 2>/dev/null || input_error "WSC_OUT_DIR '$out' cannot be created"
whole_number() {
  case "$2" in
    '' | *[!0-9]*) input_error "$1 must be a whole number (got '$2')" ;;
  esac
}
whole_number WSC_INTERVAL "${WSC_INTERVAL:-60}"
whole_number WSC_WAIT_TIMEOUT "${WSC_WAIT_TIMEOUT:-14400}"
whole_number WSC_HISTORY "${WSC_HISTORY:-5}"
[ "${WSC_HISTORY:-5}" -le 100 ] || input_error "WSC_HISTORY must be 0 to 100 (got '${WSC_HISTORY}')"
for level in "${WSC_FAIL_ON:-}" "${WSC_FAIL_ON_NEW:-}"; do
  case "$level" in
    '' | high | medium | low) ;;
    *) input_error "WSC_FAIL_ON and WSC_FAIL_ON_NEW take high, medium or low (got '$level')" ;;
  esac
done
probe="$out/.wsc-write-test.$$"
if ! : >"$probe" 2>/dev/null; then
  input_error "WSC_OUT_DIR '$out' is not writable"
fi
rm -f "$probe"
if [ -n "${WSC_BASELINE:-}" ] && [ ! -r "$WSC_BASELINE" ]; then
  input_error "WSC_BASELINE '$WSC_BASELINE' cannot be read"
fi
if [ -n "${WSC_CA_BUNDLE:-}" ] && { [ ! -f "$WSC_CA_BUNDLE" ] || [ ! -r "$WSC_CA_BUNDLE" ]; }; then
  input_error "WSC_CA_BUNDLE '$WSC_CA_BUNDLE' is not a readable file"
fi
case "${WSC_SITE:-}" in
  '' | public | gov) ;;
  *) input_error "WSC_SITE takes public or gov (got '${WSC_SITE}'); for another site, set WSC_ENDPOINT to its base URL" ;;
esac

# The files this run writes: none may survive from an earlier run.
outputs=(wsc.sarif wsc-junit.xml wsc-report.html wsc-summary.md wsc-report.json wsc-result.json)
for file in "${outputs[@]}"; do
  rm -f "$out/$file" || input_error "cannot remove '$out/$file' left by an earlier run"
done
scratch=$(mktemp -d) || input_error "cannot create a temporary directory"
trap 'rm -rf "$scratch"' EXIT

global=()
[ -n "${WSC_SITE:-}" ] && global+=(--site "$WSC_SITE")
gate=()
[ -n "${WSC_BASELINE:-}" ] && gate+=(--baseline "$WSC_BASELINE")
[ -n "${WSC_BASELINE:-}" ] && [ "${WSC_BASELINE_ANY_TARGET:-}" = "true" ] && gate+=(--baseline-any-target)
[ -n "${WSC_FAIL_ON_NEW:-}" ] && gate+=(--fail-on-new "$WSC_FAIL_ON_NEW")
fail_on=()
[ -n "${WSC_FAIL_ON:-}" ] && fail_on+=(--fail-on "$WSC_FAIL_ON")
create=(create --url "$url" --yes --wait
  --interval "${WSC_INTERVAL:-60}" --wait-timeout "${WSC_WAIT_TIMEOUT:-14400}")
[ -n "${WSC_MEMO:-}" ] && create+=(--memo "$WSC_MEMO")

"$wsc" "${global[@]}" "${create[@]}" "${fail_on[@]}" "${gate[@]}" -o json >"$scratch/result.json"
code=$?
# Published only whole: a rename within the output directory.
if [ -s "$scratch/result.json" ]; then
  cp "$scratch/result.json" "$out/.wsc-result.json.$$" && mv -f "$out/.wsc-result.json.$$" "$out/wsc-result.json"
fi

id=$(grep -o '"id": *[0-9][0-9]*' "$scratch/result.json" | head -n 1 | grep -o '[0-9][0-9]*$' || true)
outcome=$(grep -o '"outcome": *"[a-z_]*"' "$scratch/result.json" | head -n 1 | sed 's/.*"\([a-z_]*\)"$/\1/' || true)

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "job-id=$id"; echo "exit-code=$code"; } >>"$GITHUB_OUTPUT"
fi

if [ -z "$id" ] || [ "$outcome" != "completed" ]; then
  echo "error: no completed scan to report on (outcome: ${outcome:-unknown}, exit $code)" >&2
  [ "$code" -eq 0 ] && code=1
  exit "$code"
fi

# `wsc report --out` writes its file atomically (whole, or not at all). It
# exits 10 when a gate fails: the scan step decided that and said so, so its
# messages are shown only when the report itself failed.
report() {
  "$wsc" "${global[@]}" report "$id" "$@" >/dev/null 2>"$scratch/report.err"
  local rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 10 ]; then
    cat "$scratch/report.err" >&2
    echo "error: wsc report $id $* failed (exit $rc)" >&2
    return "$rc"
  fi
}

history=()
[ "${WSC_HISTORY:-5}" != "0" ] && history+=(--history "${WSC_HISTORY:-5}")
failed=0
# Every format is judged by the same gates (the HTML banner shows the verdict).
report -o sarif "${fail_on[@]}" "${gate[@]}" --out "$out/wsc.sarif" || failed=$?
report -o junit "${fail_on[@]}" "${gate[@]}" --out "$out/wsc-junit.xml" || failed=$?
report -o html "${fail_on[@]}" "${gate[@]}" "${history[@]}" --out "$out/wsc-report.html" || failed=$?
report -o markdown "${fail_on[@]}" "${gate[@]}" --out "$out/wsc-summary.md" || failed=$?
report -o json --out "$out/wsc-report.json" || failed=$?
for file in "${outputs[@]}"; do
  [ -f "$out/$file" ] && echo "wrote $out/$file" >&2
done

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$out/wsc-summary.md" ]; then
  cat "$out/wsc-summary.md" >>"$GITHUB_STEP_SUMMARY"
fi
if [ "$code" -eq 0 ] && [ "$failed" -ne 0 ]; then
  code=$failed
fi
exit "$code"
