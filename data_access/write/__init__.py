"""The write side: the code that writes facts (derived facts, the xAPI ingest and fold) and the one way to write
in bulk (bulk.py). The read side (data_access.queries) never imports it."""
