"""The cache layers (ADR 0005): the public page cache (``public_cache``), fragments shared
between processes (``shared_cache``), and the database cache backend with an atomic ``incr``
(``dbcache``) for a single server without Redis."""
