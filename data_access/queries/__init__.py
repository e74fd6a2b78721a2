"""Query functions: fn(conn, scope, now, **filters) -> plain JSON-serialisable data.

Called through data_access.cache.CachedQueries.run, never directly from callbacks.
"""
