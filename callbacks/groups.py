"""Groups callbacks (none yet: the page is a placeholder)."""


def register(app) -> None:
    return None
