"""No label frozen in one language at import time.

A form, its fields and their choices are built once, when the module is imported, in whatever
language is active then (English). A label must therefore stay lazy (gettext_lazy, currency_label,
or a lazy() call that formats when shown): `gettext_lazy("%s days") % 3`, `str(gettext_lazy(...))`
or f-strings turn it into a plain English string for good, and Dutch readers see English
("Posted within: 3 days" was one). This walks every form of the project, imported under English,
and fails on any visible text that is a plain string; then it renders each under Dutch to show
the lazy ones do change.
"""

import importlib
import pkgutil

import pytest
from django import forms
from django.utils import translation
from django.utils.functional import Promise

APPS = ["core", "membership", "marketplace", "governance", "payouts"]
# Texts that read the same in every language (codes and names, not words).
SAME_IN_EVERY_LANGUAGE = {"IBAN", "BIC", "", "TOTP", "URL", "E-mail", "API"}


def _import_all_forms():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if "forms" in module.name.split(".")[-1] or module.name.endswith(".forms"):
                importlib.import_module(module.name)


def _project_forms():
    seen, stack = set(), [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [cls for cls in seen if cls.__module__.split(".")[0] in APPS and hasattr(cls, "base_fields")]


def _texts(form_class):
    for name, field in form_class.base_fields.items():
        yield f"{name}.label", field.label
        yield f"{name}.help_text", field.help_text
        choices = getattr(field, "choices", None)
        if choices is not None and not isinstance(field, forms.ModelChoiceField):
            for value, label in choices:
                if isinstance(label, list | tuple):  # grouped choices
                    continue
                yield f"{name}.choices[{value!r}]", label


def test_no_form_label_is_formatted_at_import():
    with translation.override("en"):
        _import_all_forms()
        classes = _project_forms()
    assert len(classes) > 20  # the walk found the project's forms
    frozen = []
    for form_class in classes:
        for where, text in _texts(form_class):
            if text is None or isinstance(text, Promise) or str(text).strip() in SAME_IN_EVERY_LANGUAGE:
                continue
            if any(ch.isalpha() for ch in str(text)):
                frozen.append(f"{form_class.__module__}.{form_class.__name__}.{where} = {text!r}")
    assert not frozen, "labels formatted at import (stay English in Dutch):\n" + "\n".join(sorted(frozen))


@pytest.mark.parametrize(
    ("module", "form", "field", "dutch"),
    [("marketplace.forms", "JobSearchForm", "posted_within_days", "dagen")],
)
def test_choice_labels_made_at_import_read_dutch_when_shown_in_dutch(module, form, field, dutch):
    with translation.override("en"):
        form_class = getattr(importlib.import_module(module), form)
    with translation.override("nl"):
        labels = [str(label) for _value, label in form_class.base_fields[field].choices]
    assert any(dutch in label for label in labels), labels
