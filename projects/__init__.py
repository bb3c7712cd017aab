"""The domain: everything a Cellwright project holds, and its file. No Qt, no engines."""

from cellwright.projects.jit_cache import configure as _configure_jit_cache

# before any kernel module is decorated: numba's cache per version of the kernels' source
_configure_jit_cache()
