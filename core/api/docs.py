"""The API's schema and its Swagger UI, as served at /api/schema/ and /api/docs/."""

import threading
from collections.abc import Callable
from typing import Any, Protocol, cast

from django.conf import settings
from django.utils import translation
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

from core.money import default_currency


class _SchemaGenerator(Protocol):
    """What SchemaView calls on drf-spectacular's generator, whose methods carry no annotations."""

    def get_schema(self, request: Request | None = None, public: bool = False) -> dict[str, Any]: ...


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
                    generator = cast(
                        _SchemaGenerator,
                        self.generator_class(urlconf=self.urlconf, api_version=None, patterns=self.patterns),
                    )
                    schema = generator.get_schema(request=request, public=self.serve_public)
                self._schemas[language] = schema
        # drf-spectacular's own file name (its title), through a typed view of the untyped method.
        get_filename = cast(Callable[[Request, str | None], str], self._get_filename)
        filename = get_filename(request, None)
        return Response(data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'})

    @classmethod
    def forget(cls) -> None:
        """Drop the stored schemas (for tests that change what the schema describes)."""
        with cls._lock:
            cls._schemas.clear()


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The API's own tokens (core.api.authentication) in the schema: `Authorization: Token <key>`.

    drf-spectacular knows DRF's TokenAuthentication only; without this the operations would lose
    their token security requirement and the schema would offer no way to send a token. (The
    ignore: drf-spectacular registers extensions in an untyped `__init_subclass__`.)
    """

    target_class = "core.api.authentication.TokenAuthentication"
    name = "tokenAuth"
    optional = True

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        from core.api.authentication import KEYWORD

        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix=KEYWORD)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI in a page of our own: a language on <html>, one <h1>, and no inline style or script."""

    template_name = "api/swagger_ui.html"


def describe_amounts(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Describe the API's one convention for amounts on every field that follows it.

    A schema post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]): each integer
    `<name>_cents` property and each `currency` property without a description of its own gets
    one, so the convention is written on the fields of every app's serializers, not only the
    ones that remember to say it.
    """
    for component in result.get("components", {}).get("schemas", {}).values():
        properties = component.get("properties", {})
        for name, field in properties.items():
            if "description" in field or "$ref" in field:
                continue
            if name.endswith("_cents") and field.get("type") == "integer":
                if "currency" in properties:
                    field["description"] = "Integer minor units (cents) of this object's `currency`: 2500 is 25.00."
                else:
                    field["description"] = (
                        f"Integer minor units (cents) of the coop's currency, {default_currency()}: 2500 is 25.00."
                    )
            elif name == "currency" and field.get("type") == "string":
                field["description"] = "ISO 4217 code of every `*_cents` amount in this object."
    return result
