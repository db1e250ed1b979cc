"""A freelancer's yearly statements (page, PDF, CSV), their DAC7 details and what was reported about them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.permissions import authorize
from marketplace.models import Dac7Details
from marketplace.selectors.invoices import country_name
from marketplace.selectors.tax import (
    milestone_titles,
    reported_lines,
    statement_years,
    yearly_statement,
)
from marketplace.services import dac7
from marketplace.tax.documents import payment_rows, statement_csv, statement_pdf, statement_rows
from marketplace.tax.forms import Dac7DetailsForm
from marketplace.views._helpers import SignedInRequest, perform

# Statements exist from the year the coop's books start; a year outside this range is not a page.
FIRST_YEAR = 2000


def _year_or_404(year: int) -> int:
    if year < FIRST_YEAR or year > timezone.localdate().year:
        raise Http404
    return year


@login_required
@require_GET
def statements(request: SignedInRequest) -> HttpResponse:
    """The years with a statement, and whether the person's DAC7 details are complete."""
    authorize(request.user, "tax_papers.view", request.user)
    years = statement_years(user_id=request.user.pk)
    missing = dac7.dac7_missing(request.user)
    context = {
        "years": years,
        "missing": [str(dac7.MISSING_LABELS[key]) for key in missing],
    }
    return render(request, "marketplace/tax/statements.html", context)


def _statement(request: SignedInRequest, year: int) -> tuple[object, dict[int, str]]:
    authorize(request.user, "tax_papers.view", request.user)
    statement = yearly_statement(user_id=request.user.pk, year=_year_or_404(year))
    titles = milestone_titles(a.milestone_id for a in statement.activities)
    return statement, titles


@login_required
@require_GET
def statement(request: SignedInRequest, year: int) -> HttpResponse:
    found, titles = _statement(request, year)
    context = {
        "statement": found,
        "rows": statement_rows(found),  # type: ignore[arg-type]
        "payments": payment_rows(found, titles),  # type: ignore[arg-type]
        "years": statement_years(user_id=request.user.pk),
    }
    return render(request, "marketplace/tax/statement.html", context)


@login_required
@require_GET
def statement_download_pdf(request: SignedInRequest, year: int) -> HttpResponse:
    found, titles = _statement(request, year)
    name = request.user.get_full_name() or request.user.email
    body = statement_pdf(found, name=name, titles=titles, language=get_language() or "en")  # type: ignore[arg-type]
    response = HttpResponse(body, content_type="application/pdf")
    filename = _("statement-%(year)s.pdf") % {"year": year}
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def statement_download_csv(request: SignedInRequest, year: int) -> HttpResponse:
    found, titles = _statement(request, year)
    response = HttpResponse(statement_csv(found, titles=titles), content_type="text/csv; charset=utf-8")  # type: ignore[arg-type]
    filename = _("statement-%(year)s.csv") % {"year": year}
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def details(request: SignedInRequest) -> HttpResponse:
    """The seller's DAC7 details: asked for before their first payout."""
    authorize(request.user, "tax_papers.dac7_edit", request.user)
    business = dac7.business_details_of(request.user.pk)
    entity = business is not None and business.kind == business.Kind.ENTITY
    current = Dac7Details.objects.filter(user_id=request.user.pk).first()
    if request.method == "POST":
        form = Dac7DetailsForm(request.POST, entity=entity)
        if form.is_valid() and perform(
            request,
            lambda: dac7.dac7_details_set(user=request.user, actor=request.user, **form.cleaned_data),
            _("Your tax details were saved."),
            form,
        ):
            return redirect("marketplace:tax-details")
        status = 400
    else:
        initial: dict[str, object] = {}
        if current is not None:
            initial = {
                "first_name": current.first_name,
                "last_name": current.last_name,
                "date_of_birth": current.date_of_birth,
                "tin": current.tin,
                "tin_country": current.tin_country,
                "registration_number": current.registration_number,
                "registration_country": current.registration_country,
            }
        elif business is not None:
            initial = {"tin_country": business.country}
        if business is not None and not initial.get("registration_country"):
            initial["registration_country"] = business.country
        form = Dac7DetailsForm(initial=initial, entity=entity)
        status = 200
    context = {
        "form": form,
        "business": business,
        "business_country": country_name(business.country) if business is not None else "",
        "entity": entity,
        "missing": [str(dac7.MISSING_LABELS[key]) for key in dac7.dac7_missing(request.user)],
    }
    return render(request, "marketplace/tax/details.html", context, status=status)


@login_required
@require_GET
def reported(request: SignedInRequest) -> HttpResponse:
    """Exactly what each DAC7 report said about the person, year by year."""
    authorize(request.user, "tax_papers.view", request.user)
    lines = list(reported_lines(user_id=request.user.pk))
    return render(request, "marketplace/tax/reported.html", {"lines": lines})
