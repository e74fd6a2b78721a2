"""LearnPulse: engagement and results dashboard for learning programs. The app is made by
dashboard.factory.create_app (imported from there: a page module importing dashboard.auth or dashboard.ids must
not pull in the composition root that imports every page)."""
