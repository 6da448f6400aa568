"""The database side of the performance machinery (ADR 0005): gorod's own backends for
PostgreSQL and SQLite, the kernel's hand-written SQL (``sql.py``) and the helpers every app's
``sql.py`` builds on (``rows``: models from hand-written SELECTs; ``pg_arrays``: array
literals; ``related``: prefetching; ``lookups``: ``field__any``). Database-specific branches
belong here and in the apps' ``sql.py`` modules only."""
