"""Physical batteries, their twin history and their passports.

``batteries`` (cells and packs by serial), ``telemetry``/``telemetry_read`` and ``records``
(checked, atomic, idempotent imports into the hash-chained history of ``store/history.py``),
``attributes`` (the Battery Pass long-list and access levels), ``compile``/``design_facts``/
``twin_state`` (a passport from what the project knows, with provenance), ``battery_pass`` and
``catenax`` (the exchange formats, validated by ``schemas``), ``exchange`` (files in and out),
``versions`` (issued versions and their diff) and ``qr``.
"""
