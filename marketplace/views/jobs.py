from collections.abc import Iterable
from html import escape
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.money import Money, cents_to_major
from core.permissions import can, verified_email_required
from core.templatetags.coop import ago_at
from marketplace.forms import JobForm, JobSearchForm, ReopenForm, SavedSearchForm, skill_names_from_text
from marketplace.models import Job, JobAttachment
from marketplace.selectors.freelancers import invitation_on
from marketplace.selectors.jobs import job_get_for, jobs_of_client, proposal_of, proposals_for_job
from marketplace.selectors.profiles import client_profile_visible
from marketplace.selectors.ranking import FACTOR_TEXTS, attach_job_why
from marketplace.selectors.search import JobSearch, attach_skills, job_results, job_skills, uses_full_text
from marketplace.selectors.work_rules import job_declined_words, minimum_rates_note
from marketplace.services import jobs as job_services
from marketplace.views._helpers import SignedInRequest, file_download, paginate, perform

WHY_POINTS = gettext_lazy("%(label)s %(points)s of %(weight)s")
WHY_SCORE = gettext_lazy("score %(score)s")
WhyTexts = tuple[str, str, dict[str, str]]


def why_texts() -> WhyTexts:
    """The "why this position" line's fixed words in the reader's language, worded once for a page."""
    return str(WHY_POINTS), str(WHY_SCORE), {name: str(texts[0]) for name, texts in FACTOR_TEXTS.items()}


def why_words(why: list[Any], score: int, texts: WhyTexts | None = None) -> str:
    """The "why this position" line's words: each factor's points out of its weight, then the score."""
    if not why:
        return ""
    points, score_text, labels = texts or why_texts()
    parts = " · ".join(
        points % {"label": labels.get(part.name) or part.label, "points": part.points, "weight": part.weight}
        for part in why
    )
    return f"{parts} — {score_text % {'score': score}}"


def excerpt(text: str, words: int = 40) -> str:
    """The first `words` words of a text and " …" if there were more: Truncator(text).words(words,
    truncate=" …") without building a lazy Truncator per row (tests/marketplace/test_job_list_rendering.py)."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    cut = " ".join(parts[:words])
    return cut if cut.endswith(" …") else f"{cut} …"


def job_rows_html(jobs: Iterable[Job]) -> SafeString:
    """A page of jobs as the list's rows, worded for the reader and written out as HTML here.

    Twenty rows through the template engine's nodes and filters, or built as objects first, cost more
    than the rows' query (issue 18). Fixed texts are translated once for the page, not per row, and
    every text from a job is escaped.
    """
    remote = _("Remote")
    posted = _("posted %(since)s")
    pricing = {value: str(label) for value, label in Job.PricingType.choices}
    detail = reverse("marketplace:job-detail", args=[0]).removesuffix("0/")
    why_link = f'<a href="{escape(reverse("marketplace:ranking"))}">{escape(_("Why this position"))}</a>'
    badges: dict[int, str] = {}
    texts = why_texts()
    # The language and the moment, once for the page: each asked for per row cost a tenth of it.
    language, now = get_language() or settings.LANGUAGE_CODE, timezone.now()
    items = []
    for job in jobs:
        low, high = Money(job.budget_min_cents, job.currency), Money(job.budget_max_cents, job.currency)
        meta = [f"{low.format(language)} – {high.format(language)}", pricing.get(job.pricing_type, job.pricing_type)]
        if job.remote:
            meta.append(remote)
        elif job.location:
            meta.append(job.location)
        if job.published_at:
            meta.append(posted % {"since": ago_at(job.published_at, now, language)})
        shown = []
        for skill in job_skills(job):
            if skill.id not in badges:
                badges[skill.id] = f'<span class="badge">{escape(skill.label)}</span>'
            shown.append(badges[skill.id])
        why = why_words(getattr(job, "why", []), getattr(job, "score", 0), texts)
        why_line = (
            f'\n  <p class="meta why-position" data-testid="why-position">{why_link}: {escape(why)}</p>' if why else ""
        )
        items.append(
            f'<li class="job-row">\n  <h2 class="job-title"><a href="{detail}{job.pk}/">{escape(job.title)}</a></h2>'
            f'\n  <p class="meta">{escape(" · ".join(meta))}</p>'
            f'\n  <p class="excerpt">{escape(excerpt(job.description))}</p>'
            f'\n  <p class="skills">{"".join(shown)}</p>{why_line}\n</li>'
        )
    return mark_safe("".join(items))  # noqa: S308 (built from escaped texts above)


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """Find work: full-text search, filters, sorting and pages."""
    form = JobSearchForm(request.GET) if request.GET else None
    params = form.search_params() if form is not None and form.is_valid() else {}
    search = JobSearch.from_params(params)
    page = paginate(request, job_results(search, with_client=False, models=False))
    page.object_list = attach_skills(page.object_list)
    if search.q and search.sort == "relevance":
        page.object_list = attach_job_why(page.object_list)
    query = urlencode(search.as_params())
    return render(
        request,
        "marketplace/job_list.html",
        {
            "filters_html": JobSearchForm.blank_filters_html() if form is None else form.filters_html(),
            "page": page,
            "rows_html": job_rows_html(page.object_list),
            "search": search,
            "query": query,
            "full_text": uses_full_text(),
            "save_form": SavedSearchForm() if request.user.is_authenticated else None,
        },
    )


@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = job_get_for(job_id=job_id, user=request.user)
    is_owner = can(request.user, "job.update", job)
    hires = job_services.job_hires(job) if is_owner else 0
    return render(
        request,
        "marketplace/job_detail.html",
        {
            "job": job,
            "is_owner": is_owner,
            "hires": hires,
            "reopen_form": ReopenForm(initial={"hires_wanted": max(job.hires_wanted, hires) + 1}),
            "my_proposal": (my_proposal := proposal_of(job=job, user=request.user)),
            "invitation": None if is_owner or my_proposal else invitation_on(job=job, user=request.user),
            "client_visible": client_profile_visible(job=job, viewer=request.user),
            "declined_words": job_declined_words(job),
        },
    )


def _job_kwargs(form: JobForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "budget_min_cents": data["budget_min"],
        "budget_max_cents": data["budget_max"],
        "pricing_type": data["pricing_type"],
        "skill_names": skill_names_from_text(data["skills"]),
        "remote": data["remote"],
        "location": data["location"],
        "deadline": data["deadline"],
        "hires_wanted": data["hires_wanted"] or 1,
        "sector": data["sector"],
    }


@verified_email_required
def job_create(request: SignedInRequest) -> HttpResponse:
    form = JobForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        created: list[Job] = []
        publish = "publish" in request.POST

        def create() -> None:
            job = job_services.job_create(
                client=request.user,
                publish=publish,
                attachments=form.cleaned_data["attachments"],
                **_job_kwargs(form),
            )
            created.append(job)

        # The service publishes, holds for the members or refuses: the outcome is told from the job's status.
        if perform(request, create, "" if publish else _("Your job is saved as a draft."), form):
            if publish:
                _tell_publish_outcome(request, created[0])
            return redirect("marketplace:job-detail", job_id=created[0].pk)
    return render(request, "marketplace/job_form.html", _form_context(form, None))


def _form_context(form: JobForm, job: Job | None) -> dict:
    """The job form with the members' minimum rates, so a client sees the floor before posting."""
    return {"form": form, "job": job, "minimum_rates": minimum_rates_note()}


def _tell_publish_outcome(request: HttpRequest, job: Job) -> None:
    if job.status == Job.Status.AWAITING_MEMBERS:
        messages.info(
            request,
            _(
                "Your job needs the members' approval under the coop's rules. "
                "It waits while they vote; you will be told the result."
            ),
        )
    elif job.status == Job.Status.DECLINED:
        messages.error(request, job_declined_words(job))
    else:
        messages.success(request, _("Your job is published."))


@verified_email_required
def job_edit(request: SignedInRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=job_id, client=request.user)
    initial = {
        "title": job.title,
        "description": job.description,
        "skills": ", ".join(s.name for s in job.skills.all()),
        "pricing_type": job.pricing_type,
        "budget_min": cents_to_major(job.budget_min_cents, job.currency),
        "budget_max": cents_to_major(job.budget_max_cents, job.currency),
        "deadline": job.deadline,
        "remote": job.remote,
        "location": job.location,
        "hires_wanted": job.hires_wanted,
        "sector": job.sector,
    }
    form = JobForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def update() -> None:
            job_services.job_update(
                job_id=job.pk, actor=request.user, attachments=form.cleaned_data["attachments"], **_job_kwargs(form)
            )

        if perform(request, update, _("Your changes are saved."), form):
            return redirect("marketplace:job-detail", job_id=job.pk)
    return render(request, "marketplace/job_form.html", _form_context(form, job))


JOB_ACTIONS = {
    "publish": (job_services.job_publish, gettext_lazy("The job is published.")),
    "close": (job_services.job_close, gettext_lazy("The job is closed to new proposals.")),
    "reopen": (job_services.job_reopen, gettext_lazy("The job is open again.")),
    "cancel": (job_services.job_cancel, gettext_lazy("The job is cancelled.")),
}


@verified_email_required
@require_POST
def job_action(request: SignedInRequest, job_id: int, action: str) -> HttpResponse:
    job_id = int(job_id)  # re_path passes strings
    service, success = JOB_ACTIONS[action]
    kwargs = {}
    if action == "reopen" and request.POST.get("hires_wanted"):
        form = ReopenForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("hires_wanted", []):
                messages.error(request, error)
            return redirect("marketplace:job-detail", job_id=job_id)
        kwargs["hires_wanted"] = form.cleaned_data["hires_wanted"]
    if action == "publish":
        if perform(request, lambda: service(job_id=job_id, actor=request.user), ""):
            _tell_publish_outcome(request, Job.objects.get(pk=job_id))
        return redirect("marketplace:job-detail", job_id=job_id)
    perform(request, lambda: service(job_id=job_id, actor=request.user, **kwargs), str(success))
    return redirect("marketplace:job-detail", job_id=job_id)


@require_GET
def job_attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = get_object_or_404(JobAttachment.objects.select_related("job"), pk=attachment_id)
    job_get_for(job_id=attachment.job_id, user=request.user)
    return file_download(attachment.file, attachment.name)


@login_required
@require_GET
def my_jobs(request: SignedInRequest) -> HttpResponse:
    page = paginate(request, jobs_of_client(client=request.user))
    return render(request, "marketplace/my_jobs.html", {"page": page})


@login_required
@require_GET
def job_proposals(request: SignedInRequest, job_id: int) -> HttpResponse:
    """The client compares the proposals on their job."""
    job = job_get_for(job_id=job_id, user=request.user)
    page = paginate(request, proposals_for_job(job=job, user=request.user))
    return render(request, "marketplace/job_proposals.html", {"job": job, "page": page})
