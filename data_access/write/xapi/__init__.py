"""Storing xAPI statements and folding them into the bundle tables: touched keys, dimension rows, events and
voids, the stored statements, the fold, the ingest and replay that drive them, and the background folder."""
