"""Who is viewing. The web app runs as the platform owner until the login issue lands; the CLI's
`export --as EMAIL` resolves a user's scope with data_access.scope.scope_for_email."""

from data_access.scope import Scope


def viewer_scope() -> Scope:
    """The viewer of the current request."""
    return Scope.owner()
