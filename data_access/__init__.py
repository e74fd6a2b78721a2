"""Data access: schema, import, demo writer, cached queries. The only place that speaks SQL."""
