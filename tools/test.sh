#!/usr/bin/env bash
# Sets up, builds (Release) and runs the whole test suite.
# Long scientific runs are skipped unless BGSIM_LONG_TESTS=1 is set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cmake --preset release
cmake --build --preset release --parallel "$(nproc)"
ctest --preset release --parallel "$(nproc)"
