"""The API's schema and its Swagger UI, as served at /api/schema/ and /api/docs/."""

import threading
from typing import Any

from django.conf import settings
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process and language, under a lock.

    drf-spectacular cannot generate two schemas at once in one process: the schema inspector of
    each view class is shared and points back to its view through a weak reference, so a
    concurrent generation swaps that view out or lets it be collected mid-way, and the request
    fails with "Schema generation REQUIRES a view instance" (tfranzel/drf-spectacular#1123; its
    statistics are shared too, #1368). The schema only changes with the code, so generate it once,
    keep it, and serve every later request from memory.

    The schema's texts are translated, so there is one copy per supported language. Requests for
    any other `?lang=` or API `?version=` reuse those copies rather than growing the cache: the API
    has no versions, and an unsupported language falls back to a supported one.
    """

    _lock = threading.Lock()
    _schemas: dict[str, dict[str, Any]] = {}

    def _get_schema_response(self, request: Request) -> Response:
        try:
            language = translation.get_supported_language_variant(translation.get_language() or "")
        except LookupError:
            language = settings.LANGUAGE_CODE
        with self._lock:
            schema = self._schemas.get(language)
            if schema is None:
                with translation.override(language):
                    generator = self.generator_class(urlconf=self.urlconf, api_version=None, patterns=self.patterns)
                    schema = generator.get_schema(request=request, public=self.serve_public)
                self._schemas[language] = schema
        filename = self._get_filename(request, None)
        return Response(data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'})

    @classmethod
    def forget(cls) -> None:
        """Drop the stored schemas (for tests that change what the schema describes)."""
        with cls._lock:
            cls._schemas.clear()


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI in a page of our own: a language on <html>, one <h1>, and no inline style or script."""

    template_name = "api/swagger_ui.html"
