"""LearnPulse: engagement and results dashboard for learning programs."""

from dashboard.factory import create_app
from dashboard.settings import Settings

__all__ = ["create_app", "Settings"]
