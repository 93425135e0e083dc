#!/usr/bin/env bash
# Whole-process wall time of `sfnsim run` on a 10,000-transition Pass/Choice loop (the
# benchmark of issue 16: the target is under 10 ms, history not asked for).
#   benches/cli_loop.sh [BINARY] [RUNS]     default: target/release/sfnsim, 21 runs
# Prints the median and the fastest run, without and with --history.
set -euo pipefail
bin=${1:-${CARGO_TARGET_DIR:-target}/release/sfnsim}
runs=${2:-21}
def=$(mktemp --suffix=.json)
trap 'rm -f "$def"' EXIT
# Init, then 5,000 rounds of Check and Inc, then Check and Done: 10,002 states entered.
cat >"$def" <<'JSON'
{"StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "Check"},
  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericGreaterThanEquals": 5000, "Next": "Done"}], "Default": "Inc"},
  "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
  "Done": {"Type": "Succeed"}}}
JSON
"$bin" run "$def" | grep -q '"i": 5000' || { echo "the loop did not end with i = 5000" >&2; exit 1; }
measure() {
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$bin" run "$def" "$@" >/dev/null
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v what="$*" '{a[NR]=$1} END {printf "sfnsim run loop.json %-10s median %.1f ms, fastest %.1f ms (%d runs)\n", what, a[int((NR+1)/2)]/1000, a[1]/1000, NR}'
}
measure
measure --history
