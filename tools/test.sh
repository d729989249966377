#!/usr/bin/env bash
# Sets up, builds (Release) and runs the whole test suite.
# Long scientific runs are skipped unless BGSIM_LONG_TESTS=1 is set.
# BGSIM_FUZZ_SECONDS=N also builds the fuzz targets (preset `fuzz`, clang) and
# runs each for N seconds (docs/reliability.md); off by default, since their
# instrumented build of every library adds more to CI than the 5 minutes
# allowed for it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cmake --preset release
cmake --build --preset release --parallel "$(nproc)"
ctest --preset release --parallel "$(nproc)"
if [ -n "${BGSIM_FUZZ_SECONDS:-}" ]; then
  bash tools/fuzz.sh "$BGSIM_FUZZ_SECONDS"
fi
