"""``wirecoder serve``: the analyst's workbench over a store — the JSON API (``app.py``,
shapes in ``models.py``) and the page (``static/``: plain JavaScript, Leaflet and a
Natural Earth base map vendored from npm, no CDN, no build step)."""

from __future__ import annotations

import sys

from ..errors import WirecoderError
from ..settings import Settings

__all__ = ["create_app", "serve_store"]


def create_app(*args, **kwargs):  # type: ignore[no-untyped-def]
    """:func:`wirecoder.serve.app.create_app`, imported when first asked for (FastAPI is
    the optional ``serve`` extra)."""
    from .app import create_app as create

    return create(*args, **kwargs)


def serve_store(db_path: str, settings: Settings, host: str | None = None, port: int | None = None,
                token: str | None = None) -> None:
    """Serve the workbench over the store at ``db_path`` until interrupted."""
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        raise WirecoderError("wirecoder serve needs the serve extra: pip install 'wirecoder[serve]'") from None
    host = host or settings.serve.host
    port = settings.serve.port if port is None else port
    app = create_app(db_path, settings, token)
    mode = "read-only (no review token)" if not (token or settings.serve.review_token) else "edits allowed with the token"
    shown = f"[{host}]" if ":" in host else host
    print(f"wirecoder serve: {db_path} at http://{shown}:{port}/ — {mode}; Ctrl-C stops", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
