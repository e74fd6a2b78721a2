"""Run LearnPulse: `python app.py` (same as `learnpulse serve`: waitress). gunicorn: `gunicorn app:server`."""

from dashboard.cli import main

if __name__ == "__main__":
    main(["serve"])
else:  # imported by a WSGI server such as gunicorn
    from dashboard.factory import create_app

    server = create_app().server
