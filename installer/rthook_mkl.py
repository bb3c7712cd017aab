# PyInstaller run-time hook: tell pypardiso where the bundle's MKL runtime is. pypardiso looks
# for mkl_rt on the system and under sys.prefix/lib*, not in the bundle's own folder; MKL itself
# then loads its core, threading and CPU-kernel libraries from beside mkl_rt.
# ruff: noqa
import os
import sys
from pathlib import Path

_rt = sorted(Path(getattr(sys, "_MEIPASS", sys.prefix)).glob("libmkl_rt.so*"))
if _rt:
    os.environ.setdefault("PYPARDISO_MKL_RT", str(_rt[0]))
