#!/usr/bin/env bash
# Builds the libFuzzer targets of the description readers (preset `fuzz`:
# clang, ASan, UBSan) and runs each for SECONDS (default 60) on a seed corpus
# of the ready files: networks/library/ for fuzz_network, tasks/experiments/
# for fuzz_experiment. Any crash, hang (a run over 10 s), leak or sanitizer
# report stops the run with the input that caused it, in build/fuzz/findings/;
# the script then exits non-zero. docs/reliability.md records what it found.
#
#   tools/fuzz.sh [SECONDS] [TARGET...]     e.g. tools/fuzz.sh 600
#
# BGSIM_FUZZ_SEED=N fixes libFuzzer's seed (tools/test.sh, CI: 1); unset or
# 0, libFuzzer picks one.
#
# Each target's corpus grows in build/fuzz/corpus/<target>/ and is kept
# between runs; its seeds are copied afresh every time.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_network fuzz_experiment)

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --parallel "$(nproc)"

out=build/fuzz
mkdir -p "$out/findings"
# The keys of the ready files, as a dictionary: mutations then write names
# the readers know instead of waiting to guess them byte by byte.
dict="$out/keys.dict"
{
  for t in '{' '}' '[' ']' ':' ',' '"' 'true' 'false' 'null' '1e308' '-1' '0.1' '4294967296'; do
    printf '"%s"\n' "${t//\"/\\\"}"
  done
  cat networks/library/*.json networks/library/bg/*.json tasks/experiments/*.json |
    grep -o '"[A-Za-z_][A-Za-z0-9_]*"' | sort -u | sed 's/"/\\"/g; s/.*/"&"/'
} >"$dict"

status=0
for target in "${targets[@]}"; do
  case "$target" in
    fuzz_network) seeds=(networks/library/*.json networks/library/bg/*.json) ;;
    fuzz_experiment) seeds=(tasks/experiments/*.json) ;;
    *) echo "fuzz: unknown target $target" >&2; exit 2 ;;
  esac
  corpus="$out/corpus/$target"
  mkdir -p "$corpus"
  cp "${seeds[@]}" "$corpus/"
  echo "fuzz: $target for $seconds s (corpus $corpus)"
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: one that
  # allocates 2 GB is a failed memory guard. Reports go to the log.
  if ! "$out/fuzz/$target" "$corpus" -dict="$dict" -max_total_time="$seconds" -timeout=10 \
      -seed="${BGSIM_FUZZ_SEED:-0}" \
      -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$out/findings/$target-" >"$out/$target.log" 2>&1; then
    status=1
    echo "fuzz: $target FOUND A PROBLEM; see $out/$target.log and $out/findings/" >&2
  fi
  grep -E "^stat::|Done [0-9]+ runs" "$out/$target.log" || true
  tail -n 3 "$out/$target.log" | grep -E "cov:|ERROR" || true
done
exit $status
