"""Builds the compiled half of the Python module, bgsim._core, with CMake,
for `pip install .` (pyproject.toml; docs/python.md, "Installing").

The kernel and the module are built by the project's own CMake build, target
bgsim_python, in a build tree of the Python build's (Release, for this
machine's processor, without tests and benchmarks), or in the tree named by
the environment variable BGSIM_BUILD_DIR: an already configured tree (say
build/release) is then only brought up to date, so an installation after a
build compiles nothing again. BGSIM_BUILD_JOBS sets the parallel jobs
(default 2). The module is built for the Python that runs pip.
"""

import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE = os.path.dirname(os.path.abspath(__file__))


class CMakeExtension(Extension):
    def __init__(self, name: str):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        given = os.environ.get("BGSIM_BUILD_DIR")
        tree = os.path.abspath(given) if given else os.path.join(
            os.path.abspath(self.build_temp), "cmake")
        jobs = os.environ.get("BGSIM_BUILD_JOBS", "2")
        if not os.path.exists(os.path.join(tree, "CMakeCache.txt")):
            if given:
                raise RuntimeError(f"BGSIM_BUILD_DIR={given} is not a configured CMake build tree")
            subprocess.run(
                ["cmake", "-S", SOURCE, "-B", tree, "-G", "Ninja",
                 "-DCMAKE_BUILD_TYPE=Release", "-DBGSIM_NATIVE=ON", "-DBGSIM_PYTHON=ON",
                 "-DBGSIM_BUILD_TESTS=OFF", "-DBGSIM_BUILD_BENCH=OFF",
                 f"-DPython3_EXECUTABLE={sys.executable}"],
                check=True)
        subprocess.run(["cmake", "--build", tree, "--target", "bgsim_python", "--parallel", jobs],
                       check=True)
        built = glob.glob(os.path.join(tree, "python", "bgsim", "_core*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one bgsim/_core*.so in {tree}/python, found {built}")
        target = self.get_ext_fullpath(ext.name)
        if os.path.basename(built[0]) != os.path.basename(target):
            raise RuntimeError(
                f"{built[0]} was built for another Python than {sys.executable} "
                f"(expected {os.path.basename(target)})")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built[0], target)


setup(ext_modules=[CMakeExtension("bgsim._core")], cmdclass={"build_ext": CMakeBuild})
