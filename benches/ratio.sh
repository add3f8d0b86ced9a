#!/usr/bin/env bash
# Times the full audit against the parse-only floor on one corpus, the two
# runs alternating so that both see the same machine load; prints each
# median wall time, files/s and the median of the per-pair ratios.
# Usage: benches/ratio.sh CORPUS_DIR [PAIRS]   (after cargo build --profile dist --examples)
# See docs/performance.md.
set -euo pipefail
corpus=${1:?usage: benches/ratio.sh CORPUS_DIR [PAIRS]}
pairs=${2:-11}
root=$(cd "$(dirname "$0")/.." && pwd)
blcheck="$root/target/dist/blcheck"
floor="$root/target/dist/examples/parse_floor"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$corpus"
files=$(find . -name '*.yaml' | wc -l)
wall() { # prints the wall time of "$@" in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
# One warm-up of each: the files are in the page cache for both.
wall "$floor" . >/dev/null
wall "$blcheck" audit . --as-of 2025-11-01 --format json --output "$out/r.json" --force >/dev/null
: >"$out/floor"; : >"$out/audit"; : >"$out/ratio"
for _ in $(seq "$pairs"); do
  f=$(wall "$floor" .)
  a=$(wall "$blcheck" audit . --as-of 2025-11-01 --format json --output "$out/r.json" --force)
  echo "$f" >>"$out/floor"; echo "$a" >>"$out/audit"
  echo "$a / $f" | bc -l >>"$out/ratio"
done
median() { sort -g "$1" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
mf=$(median "$out/floor"); ma=$(median "$out/audit"); mr=$(median "$out/ratio")
printf 'files %d  pairs %d  load %s\n' "$files" "$pairs" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'floor  %.3f s  %6.0f files/s\n' "$mf" "$(echo "$files / $mf" | bc -l)"
printf 'audit  %.3f s  %6.0f files/s\n' "$ma" "$(echo "$files / $ma" | bc -l)"
printf 'audit / floor (median of pairs)  %.3f\n' "$mr"
