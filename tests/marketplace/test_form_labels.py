"""Form labels follow the coop's currency and the reader's language, each time they are shown."""

from typing import Any

import pytest
from django import forms
from django.utils import translation

from marketplace.forms import JobForm, JobSearchForm, MilestoneForm, ProposalForm, ResolveForm


def _labels(form: forms.Form) -> dict[str, str]:
    return {name: str(field.label) for name, field in form.fields.items()}


def test_amount_labels_show_the_coops_currency_symbol_in_the_readers_language() -> None:
    with translation.override("en"):
        assert _labels(JobForm())["budget_min"] == "Budget from (€)"
        assert _labels(MilestoneForm())["amount"] == "Amount (€)"
    with translation.override("nl"):
        assert _labels(JobForm())["budget_max"] == "Budget tot (€)"
        assert _labels(ProposalForm())["amount"] == "Prijs, of uurtarief bij opdrachten per uur (€)"
        assert _labels(ResolveForm())["release"] == "Uitbetalen aan de freelancer (€)"


def test_amount_labels_follow_the_currency_setting_not_a_hard_coded_euro(settings: Any) -> None:
    settings.COOP_CURRENCY = "USD"
    with translation.override("en"):
        assert _labels(JobSearchForm())["budget_min"] == "Budget at least ($)"
    with translation.override("nl"):
        assert _labels(MilestoneForm())["amount"] == "Bedrag (US$)"


@pytest.mark.parametrize(("language", "week"), [("en", "7 days"), ("nl", "7 dagen")])
def test_posted_within_choices_read_in_the_readers_language(language: str, week: str) -> None:
    form = JobSearchForm()
    with translation.override(language):
        select = str(form["posted_within_days"])
    assert f'<option value="7">{week}</option>' in select
