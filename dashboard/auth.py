"""Viewer resolution. The web app runs as the platform owner until the login issue lands; the CLI's
`export --as EMAIL` resolves a user's scope with data_access.scope.scope_for_email."""

from dashboard.services import viewer_scope

__all__ = ["viewer_scope"]
