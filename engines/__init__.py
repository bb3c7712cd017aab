"""The physics: pure computation, projects in, projects.model results out. No Qt."""

# Numba's cache per version of the kernels' source, before any kernel module is decorated
# (cellwright.projects sets it on import; see projects/jit_cache.py for why).
import cellwright.projects  # noqa: F401
