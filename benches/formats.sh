#!/usr/bin/env bash
# Times `blcheck audit` in every format on one corpus, against JSON in the
# same run: each format and JSON alternate, so both see the same machine
# load. Prints, per format, the median wall time, its ratio to JSON's
# (median of the per-pair ratios) and the peak memory (largest RSS).
# Usage: benches/formats.sh CORPUS_DIR [PAIRS]
#   after `cargo build --release`; BLCHECK=path/to/blcheck to time another
#   build. Corpora: `cargo run --release --example gen_corpus -- DIR
#   --courses 100000 --plans 10000` (add `--faults-per-course 4` for one in
#   which every course fails four rules). See docs/performance.md.
set -euo pipefail
corpus=${1:?usage: benches/formats.sh CORPUS_DIR [PAIRS]}
pairs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
blcheck=${BLCHECK:-"$root/target/release/blcheck"}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$corpus"
files=$(find . -name '*.yaml' | wc -l)
# FORMATS="gitlab sarif" times only those.
read -r -a formats <<<"${FORMATS:-table json sarif junit github gitlab markdown csv csv-all html xlsx}"
# Prints "SECONDS MAX_RSS_KB" of one audit writing FORMAT to a file.
run() {
  local format=$1 args=(--format "$1")
  [ "$format" = csv-all ] && args=(--format csv --all)
  /usr/bin/time -f '%e %M' -o "$out/time" \
    "$blcheck" audit . --as-of 2025-11-01 "${args[@]}" --output "$out/report" >/dev/null 2>&1 || true
  tail -n 1 "$out/time"
}
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
run json >/dev/null # warm-up: the files are in the page cache for every run
printf 'files %d  pairs %d  load %s  %s\n' "$files" "$pairs" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$("$blcheck" --version)"
printf '%-9s %9s %9s %10s\n' format seconds '÷ json' 'peak MB'
for format in "${formats[@]}"; do
  : >"$out/wall"; : >"$out/ratio"; : >"$out/rss"
  for _ in $(seq "$pairs"); do
    read -r j _ < <(run json)
    read -r t rss < <(run "$format")
    echo "$t" >>"$out/wall"; echo "$rss" >>"$out/rss"
    echo "$t / $j" | bc -l >>"$out/ratio"
  done
  printf '%-9s %9.3f %9.2f %10.1f\n' "$format" "$(median <"$out/wall")" \
    "$(median <"$out/ratio")" "$(sort -g "$out/rss" | tail -1 | awk '{print $1 / 1024}')"
done
