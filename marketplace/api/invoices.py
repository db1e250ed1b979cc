"""The marketplace API for invoices: business details, your invoices and credit notes, their PDF and XML."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.permissions import api_permission, authorize
from marketplace.api._base import ERRORS, SignedInRequest, WriteApi
from marketplace.invoicing.pdf import invoice_pdf
from marketplace.invoicing.ubl import invoice_xml
from marketplace.models import BusinessDetails, Invoice
from marketplace.selectors.invoices import business_details_of, invoice_by_number, invoices_all, invoices_of_user
from marketplace.services.business import business_details_save


class BusinessDetailsOut(serializers.Serializer):
    kind = serializers.CharField()
    legal_name = serializers.CharField()
    street = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()
    kvk_number = serializers.CharField()
    vat_number = serializers.CharField()
    vat_scheme = serializers.CharField()
    self_billing_consent_at = serializers.DateTimeField(allow_null=True)


class InvoiceLineOut(serializers.Serializer):
    position = serializers.IntegerField()
    description = serializers.CharField()
    vat_category = serializers.CharField(help_text="UNCL 5305: S, AA, Z, E, AE or O")
    vat_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    net_cents = serializers.IntegerField()
    vat_cents = serializers.IntegerField()
    gross_cents = serializers.IntegerField()


class InvoiceOut(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.CharField()
    issue_date = serializers.DateField()
    issuer_name = serializers.CharField()
    recipient_name = serializers.CharField()
    currency = serializers.CharField()
    net_cents = serializers.IntegerField()
    vat_cents = serializers.IntegerField()
    gross_cents = serializers.IntegerField()
    milestone_id = serializers.IntegerField()
    # The number of the invoice a credit note corrects; null on an invoice.
    corrects = serializers.CharField(source="corrects.number", read_only=True, allow_null=True)


class InvoiceDetailOut(InvoiceOut):
    lines = InvoiceLineOut(many=True, read_only=True)


class BusinessDetailsApi(WriteApi):
    """Read or save your business details (and agree to self-billing); waiting invoices are then issued."""

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=BusinessDetails.Kind.choices)
        legal_name = serializers.CharField(max_length=200)
        street = serializers.CharField(max_length=200)
        postal_code = serializers.CharField(max_length=20)
        city = serializers.CharField(max_length=100)
        country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. NL")
        kvk_number = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
        vat_number = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
        vat_scheme = serializers.ChoiceField(choices=BusinessDetails.TaxStatus.choices)
        self_billing_consent = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        responses={200: BusinessDetailsOut, 404: ErrorSerializer},
        summary="Your business details.",
        tags=["invoices"],
        operation_id="business_details_get",
    )
    def get(self, request: SignedInRequest) -> Response:
        details = business_details_of(user=request.user)
        if details is None:
            raise Http404
        return Response(BusinessDetailsOut(details).data)

    @extend_schema(
        request=InputSerializer,
        responses={200: BusinessDetailsOut, **ERRORS},
        summary="Save your business details; VAT and KVK numbers are checked.",
        tags=["invoices"],
        operation_id="business_details_save",
    )
    def post(self, request: SignedInRequest) -> Response:
        data: dict[str, Any] = self.validate_input(request)
        return Response(BusinessDetailsOut(business_details_save(actor=request.user, **data)).data)


@extend_schema(tags=["invoices"], summary="Invoices and credit notes issued to you or in your name.")
class InvoiceListApi(generics.ListAPIView):
    """List the caller's invoices and credit notes, newest first."""

    request: SignedInRequest
    queryset = Invoice.objects.none()
    serializer_class = InvoiceOut

    def get_queryset(self) -> QuerySet[Invoice]:
        return invoices_of_user(user=self.request.user)


@extend_schema(tags=["invoices"], summary="Every invoice and credit note (finance).")
class InvoiceAllApi(generics.ListAPIView):
    """List every invoice and credit note, newest first (finance)."""

    permission_classes = [api_permission("invoice.list_all")]
    queryset = Invoice.objects.none()
    serializer_class = InvoiceOut

    def get_queryset(self) -> QuerySet[Invoice]:
        return invoices_all()


def _invoice(request: Request, number: str) -> Invoice:
    invoice = invoice_by_number(number=number)
    if invoice is None:
        raise Http404
    authorize(request.user, "invoice.view", invoice)
    return invoice


@extend_schema(
    tags=["invoices"],
    summary="One invoice or credit note with its lines (issuer, recipient, finance).",
    responses={200: InvoiceDetailOut, 403: ErrorSerializer, 404: ErrorSerializer},
)
class InvoiceDetailApi(APIView):
    """Show one invoice or credit note with its lines."""

    def get(self, request: Request, number: str) -> Response:
        return Response(InvoiceDetailOut(_invoice(request, number)).data)


@extend_schema(
    tags=["invoices"],
    summary="The invoice as a PDF.",
    parameters=[
        OpenApiParameter("language", str, enum=["en", "nl"], description="Language of the PDF; en by default.")
    ],
    responses={(200, "application/pdf"): OpenApiTypes.BINARY, 403: ErrorSerializer, 404: ErrorSerializer},
)
class InvoicePdfApi(APIView):
    """Download the invoice or credit note as a PDF."""

    def get(self, request: Request, number: str) -> HttpResponse:
        invoice = _invoice(request, number)
        language = request.query_params.get("language", "en")
        response = HttpResponse(
            invoice_pdf(invoice, language=language if language in ("en", "nl") else "en"),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
        return response


@extend_schema(
    tags=["invoices"],
    summary="The invoice as an EN 16931 UBL 2.1 e-invoice.",
    responses={(200, "application/xml"): OpenApiTypes.BINARY, 403: ErrorSerializer, 404: ErrorSerializer},
)
class InvoiceXmlApi(APIView):
    """Download the invoice or credit note as EN 16931 UBL XML."""

    def get(self, request: Request, number: str) -> HttpResponse:
        invoice = _invoice(request, number)
        response = HttpResponse(
            invoice_xml(invoice, coop_name=settings.COOP_LEGAL_NAME), content_type="application/xml"
        )
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
        return response
