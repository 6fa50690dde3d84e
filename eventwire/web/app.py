"""The eventwire web application: REST API under /api, HTML pages, OpenAPI docs at /docs."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from ..settings import Settings
from . import security
from .cache import DEFAULT_MAX_BYTES, ResponseCache
from .security import BodySizeLimit, HostCheck, SecurityHeaders

HERE = Path(__file__).resolve().parent


def open_store(database_url: str):
    """The store at ``database_url`` (a URL or a SQLite file path), tables created if missing."""
    from ..store.database import Store
    return Store(Settings.normalise_db(database_url))


def plotly_js_path() -> Path:
    """plotly.min.js from the installed plotly package (no CDN)."""
    import plotly
    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def swagger_ui_dir() -> Path:
    """Swagger UI's files from the installed swagger-ui-bundle package (no CDN)."""
    from swagger_ui_bundle import swagger_ui_path
    return Path(swagger_ui_path)


def create_app(settings: Settings | None = None, token: str | None = None, store=None,
               cache_seconds: float | None = None, allowed_hosts: list[str] | None = None,
               cache_bytes: int | None = None) -> FastAPI:
    """Build the app over the store named by ``settings.database_url`` (or the ``store`` given).

    ``token`` enables writes (``POST /api/articles``); it defaults to ``EVENTWIRE_TOKEN``.
    ``cache_seconds`` is how long a GET response is reused (``EVENTWIRE_WEB_CACHE``, default
    10; 0 turns the cache off); a write through this server clears the cache. The cache holds
    at most ``cache_bytes`` (``EVENTWIRE_WEB_CACHE_BYTES``, default 64 MiB). ``allowed_hosts``
    are the names a request's Host header may carry (default ``EVENTWIRE_ALLOWED_HOSTS``, else
    localhost, 127.0.0.1 and ::1).
    """
    from . import api, pages, sources

    settings = settings or Settings()
    app = FastAPI(title="eventwire", version=_version(), docs_url=None, redoc_url=None,
                  description="Read the events, quotes, actors and stories eventwire found in news "
                              "articles; submit articles for processing (with the write token).")
    app.state.settings = settings
    app.state.store = store if store is not None else open_store(settings.database_url)
    app.state.token = token if token is not None else (os.environ.get("EVENTWIRE_TOKEN") or None)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(sources.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    app.mount("/static-vendor/swagger-ui", StaticFiles(directory=swagger_ui_dir()), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url, title="eventwire API",
            swagger_js_url="/static-vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static-vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static-vendor/swagger-ui/favicon-32x32.png")

    @app.get("/static-vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(plotly_js_path(), media_type="application/javascript",
                            headers={"cache-control": "public, max-age=86400"})

    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    from starlette.exceptions import HTTPException as StarletteHTTPException
    app.add_exception_handler(StarletteHTTPException, _http_error)
    if cache_seconds is None:
        cache_seconds = float(os.environ.get("EVENTWIRE_WEB_CACHE", "10"))
    if cache_bytes is None:
        cache_bytes = int(os.environ.get("EVENTWIRE_WEB_CACHE_BYTES", DEFAULT_MAX_BYTES))
    if allowed_hosts is None:
        allowed_hosts = security.allowed_hosts(os.environ.get("EVENTWIRE_ALLOWED_HOSTS"),
                                               os.environ.get("EVENTWIRE_BIND_HOST"))
    app.add_middleware(ResponseCache, ttl=cache_seconds, max_bytes=cache_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodySizeLimit)
    app.add_middleware(HostCheck, names=allowed_hosts)  # outermost: checked before anything runs
    return app



def app_from_environment() -> FastAPI:
    """The app configured by the environment (``EVENTWIRE_DB``, ``EVENTWIRE_TOKEN``): for uvicorn."""
    return create_app(Settings())


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path in ("/openapi.json",)


async def _validation_error(request: Request, exc: RequestValidationError):
    problems = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        problems.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    message = "invalid request: " + "; ".join(problems)
    if _wants_json(request):
        return JSONResponse({"status": 422, "message": message,
                             "errors": [{"loc": list(e.get("loc", ())), "msg": e.get("msg")}
                                        for e in exc.errors()]}, status_code=422)
    return _error_page(request, 422, message)


async def _http_error(request: Request, exc):
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    headers = getattr(exc, "headers", None)
    if _wants_json(request):
        return JSONResponse({"status": exc.status_code, "message": message}, status_code=exc.status_code,
                            headers=headers)
    return _error_page(request, exc.status_code, message)


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    from .pages import templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message, "page_name": "error"},
                                      status_code=status)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("eventwire")
    except PackageNotFoundError:
        return "0"
