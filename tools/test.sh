#!/usr/bin/env bash
# Sets up, builds (Release) and runs the whole test suite.
# Long scientific runs are skipped unless BGSIM_LONG_TESTS=1 is set.
# Then it builds the suite again under the address and undefined-behaviour
# sanitizers (preset `sanitize`, GCC -O1) and runs its fast part (test preset
# `sanitize-fast`: all but the eight slowest scientific runs; about 16
# minutes to build and 8 to run on two cores; docs/reliability.md);
# BGSIM_SANITIZE=0 skips it.
# Then it builds bgsim once more with MPI (preset `mpi`: only the bgsim
# target, about 9 minutes on two cores) and runs the MPI tests (test preset
# `mpi`: one network over 1x1, 1x2, 2x1, 3x1 and 2x2 ranks x threads gives
# the files of one process, byte for byte; under a minute; docs/mpi.md);
# BGSIM_MPI_TESTS=0 skips it.
# Then it builds the fuzz targets (preset `fuzz`, clang) and runs each for
# BGSIM_FUZZ_SECONDS (30 by default, from libFuzzer seed 1; 0 skips them;
# docs/reliability.md): their instrumented build takes about 5 minutes on two
# cores, which the 90-minute CI allows.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cmake --preset release
cmake --build --preset release --parallel "$(nproc)"
ctest --preset release --parallel "$(nproc)"
if [ "${BGSIM_SANITIZE:-1}" != 0 ]; then
  cmake --preset sanitize
  cmake --build --preset sanitize --parallel "$(nproc)"
  ctest --preset sanitize-fast --parallel "$(nproc)"
fi
if [ "${BGSIM_MPI_TESTS:-1}" != 0 ]; then
  cmake --preset mpi
  cmake --build --preset mpi --parallel "$(nproc)" --target bgsim
  ctest --preset mpi
fi
fuzz_seconds="${BGSIM_FUZZ_SECONDS:-30}"
if [ "$fuzz_seconds" != 0 ]; then
  BGSIM_FUZZ_SEED="${BGSIM_FUZZ_SEED:-1}" bash tools/fuzz.sh "$fuzz_seconds"
fi
