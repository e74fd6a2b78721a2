"""Running a query as the signed-in viewer at the page's now, and a callback's answer when it cannot.

    @viewer.answers(unavailable=lambda: (empty_chart("Not available"), data_unavailable()))
    def load(session_id):
        info = viewer.run(q.session_info, session_id=inputs.an_id(session_id))   # one query as this viewer
        return figure(info), None                                                 # shaped into the outputs

`run` is cached (data_access.query_runner), `fresh` reads past the cache, `write` changes data, `unshaped` skips the
meeting-safe shaping (what goes to the clipboard or a download, never on screen)."""

from __future__ import annotations

import functools
import inspect
import logging

from sqlalchemy.exc import SQLAlchemyError

from dashboard import auth, services

RAISE = object()  # answers(missing=RAISE): a LookupError is not this callback's to answer


def run(query, **filters):
    """The query's (cached) result for the signed-in viewer at the page's now."""
    svc = services.current()
    return svc.queries.run(query, auth.viewer_scope(), svc.now(), **filters)


def fresh(query, **filters):
    """The query's result read now, past the cache (what a colleague may just have changed)."""
    svc = services.current()
    return svc.queries.fresh(query, auth.viewer_scope(), svc.now(), **filters)


def write(query, **filters):
    """Run a writing query as the viewer (the cache then holds nothing older)."""
    svc = services.current()
    return svc.queries.write(query, auth.viewer_scope(), svc.now(), **filters)


def unshaped(query, **filters):
    """The query's result with real names and e-mails also in meeting-safe mode (clipboard, downloads)."""
    svc = services.current()
    return svc.queries.run_unshaped(query, auth.viewer_scope(), svc.now(), **filters)


def timezone() -> str:
    """The time zone dates are shown in."""
    return services.current().settings.timezone


def _builder(answer):
    """`answer` as a function of the exception: a value, or a function of no argument or of the exception."""
    if answer is RAISE:
        return None
    if not callable(answer):
        return lambda _exc: answer
    return answer if inspect.signature(answer).parameters else lambda _exc: answer()


def _not_found(exc: LookupError) -> bool:
    """A LookupError a query or an input reader raised for a thing that does not exist (or that the viewer
    cannot see); a KeyError or IndexError is a bug of the shaping code and stays one."""
    return not isinstance(exc, KeyError | IndexError)


def answers(unavailable, missing=RAISE, refused=RAISE):
    """Decorator of a callback: when the database does not answer, log the traceback and answer `unavailable`
    (a value, or a function of no argument building it); when a query or input reader raises LookupError (no
    such thing for this viewer), answer `missing`; when a query refuses a value (ValueError), answer `refused`.
    Each answer is a value, a function of no argument building it, or a function of the exception (whose text
    is written for people)."""
    on_error, on_missing, on_refused = _builder(unavailable), _builder(missing), _builder(refused)

    def wrap(callback):
        log = logging.getLogger(callback.__module__)

        @functools.wraps(callback)
        def answer(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except SQLAlchemyError:
                log.exception("%s: the database did not answer", callback.__name__)
                return on_error(None)
            except LookupError as exc:
                if on_missing is None or not _not_found(exc):
                    raise
                return on_missing(exc)
            except ValueError as exc:
                if on_refused is None:
                    raise
                return on_refused(exc)
        return answer
    return wrap
