"""Design studies at scale: sweeps and designs of experiments over any spec or design field,
run inline or on Dask, stored point by point; surrogates, sensitivity and optimisation on their
results. Qt-free: the CLI, the window and a Dask worker use the same code.

- :mod:`.fields` finds a varied field by dotted path and applies a point to a spec and design;
- :mod:`.samplers` draws points (full factorial, Latin hypercube, Sobol);
- :mod:`.point` runs one point (what a Dask worker runs);
- :mod:`.backends` runs points inline or on Dask (LocalCluster or a scheduler address);
- :mod:`.execute` stores the study and each finished point; resumes what is not done;
- :mod:`.study_file` reads a design-study TOML file;
- :mod:`.table` turns stored points into a results table (CSV);
- :mod:`.surrogate`, :mod:`.sensitivity`, :mod:`.optimise`, :mod:`.pareto`: what is learned
  from the points.
"""
