"""Every URL pattern and API operation of the project, for the tests that walk them all."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, e.g. "classes/<id:pk>/"
    name: str  # with its namespaces, e.g. "training:class-detail"
    callback: object


def walk(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield Route(prefix + str(p.pattern), namespace + (p.name or ""), p.callback)


def views() -> list[Route]:
    """The project's own views: not the admin site's, not the API's (see ``api_operations``)."""
    return [r for r in walk() if not r.route.startswith(("admin/", "api/v1/"))]


def admin_routes() -> list[Route]:
    return [r for r in walk() if r.route.startswith("admin/")]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # below /api/v1/, e.g. "stats/summary"
    view_func: object

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def api_operations() -> list[Operation]:
    from luodi.api import api

    api.urls  # noqa: B018 -- binds the routers to the API
    return [
        Operation(method, (prefix + path).strip("/"), op.view_func)
        for prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for op in path_view.operations
        for method in op.methods
    ]
