"""Callbacks: read inputs -> call data_access through the cached runner -> shape -> return components."""
