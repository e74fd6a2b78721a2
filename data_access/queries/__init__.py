"""Query functions: fn(conn, scope, now, **filters) -> plain JSON-serialisable data.

Called through data_access.query_runner.QueryRunner.run, never directly from callbacks.
"""
