#!/usr/bin/env bash
# Installs what bgsim needs to build, test and plot, from Debian's packages.
# Idempotent: packages already present are left alone, and apt-get runs only
# when something is missing. Needs root (or sudo) when it has to install.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev            # Boost.Odeint (header-only)
  libeigen3-dev           # linear algebra for the agents
  nlohmann-json3-dev      # JSON descriptions and manifests
  libgtest-dev libgmock-dev
  libbenchmark-dev        # Google Benchmark
  librandom123-dev        # counter-based random streams (Philox)
  libcli11-dev            # the bgsim command line
  libnlopt-cxx-dev        # maximum-likelihood fits
  libhdf5-dev             # SONATA spike files (optional: without it the build works, SONATA is refused)
  python3-numpy python3-pandas python3-matplotlib   # loading and plotting results
  python3-h5py            # reading SONATA files (the tests read them back)
  python3-scipy           # confidence intervals of the seed sweeps (tools/selection_conditions.py)
  python3-brian           # Brian2, the peer simulator of bench/peers (C++ standalone)
  pybind11-dev python3-dev python3-pytest   # the Python module (python/) and its tests
  python3-pip python3-venv python3-setuptools python3-wheel   # pip install . of the module (setup.py)
  clang libclang-rt-dev libomp-dev  # the fuzz targets (tools/fuzz.sh): clang, libFuzzer, its OpenMP
  libopenmpi-dev openmpi-bin        # one network over MPI ranks (preset mpi, docs/mpi.md)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
