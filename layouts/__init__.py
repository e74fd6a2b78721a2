"""Page layouts: register_page(...) + layout(**query) -> components. No queries here."""
