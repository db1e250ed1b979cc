"""The marketplace API for jobs: search and read them; post, edit, publish, close, reopen and cancel them."""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, VERIFIED, SignedInRequest, UploadApi, WriteApi
from marketplace.api.inputs import JobInput
from marketplace.models import Job
from marketplace.models.jobs import MAX_HIRES
from marketplace.selectors import jobs as job_selectors
from marketplace.selectors.search import JobResults, JobSearch, attach_skills, job_results
from marketplace.services import jobs as job_services

SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="Words to find in the title, description and skills."),
    OpenApiParameter("skill", str, description="A skill slug."),
    OpenApiParameter("budget_min_cents", int, description="Jobs whose budget reaches at least this."),
    OpenApiParameter("budget_max_cents", int, description="Jobs whose budget starts at most at this."),
    OpenApiParameter("pricing_type", str, enum=["fixed", "hourly"]),
    OpenApiParameter("remote", bool),
    OpenApiParameter("posted_within_days", int, enum=[1, 3, 7, 14, 30]),
    OpenApiParameter("sort", str, enum=["relevance", "newest", "budget_high", "budget_low"]),
    OpenApiParameter("page", int),
]


@extend_schema(tags=["jobs"], parameters=SEARCH_PARAMETERS, summary="Search open jobs (public).")
class JobSearchApi(generics.ListAPIView):
    """Search the open jobs; anyone may."""

    permission_classes = [AllowAny]
    serializer_class = o.JobOut
    queryset = Job.objects.none()  # for the schema: the rows are jobs

    def get_queryset(self) -> JobResults | QuerySet[Job]:  # type: ignore[override]
        return job_results(JobSearch.from_params(self.request.query_params))

    def paginate_queryset(self, queryset: JobResults | QuerySet[Job]) -> list[Job] | None:  # type: ignore[override]
        page = super().paginate_queryset(queryset)
        return None if page is None else attach_skills(page)


@extend_schema(
    tags=["jobs"], summary="One job (drafts only to their client).", responses={200: o.JobOut, 404: ErrorSerializer}
)
class JobDetailApi(APIView):
    """Show one job; a draft only to its client."""

    permission_classes = [AllowAny]

    def get(self, request: Request, job_id: int) -> Response:
        return Response(o.JobOut(job_selectors.job_get_for(job_id=job_id, user=request.user)).data)


@extend_schema(tags=["jobs"], summary="The jobs you posted.")
class MyJobsApi(generics.ListAPIView):
    """List the jobs the caller posted."""

    request: SignedInRequest
    queryset = Job.objects.none()
    serializer_class = o.JobOut

    def get_queryset(self) -> QuerySet[Job]:
        return job_selectors.jobs_of_client(client=self.request.user)


class JobCreateApi(WriteApi):
    """Post a job, as a draft or published at once (needs a verified email)."""

    permission_classes = VERIFIED

    class InputSerializer(JobInput):
        publish = serializers.BooleanField(default=False)

    @extend_schema(
        request=InputSerializer,
        responses={201: o.JobOut, **ERRORS},
        summary="Post a job, as a draft or published at once (needs a verified email).",
        tags=["jobs"],
        operation_id="job_create",
    )
    def post(self, request: SignedInRequest) -> Response:
        data = self.validate_input(request)
        job = job_services.job_create(
            client=request.user,
            title=data["title"],
            description=data["description"],
            skill_names=data["skills"],
            pricing_type=data["pricing_type"],
            budget_min_cents=data["budget_min_cents"],
            budget_max_cents=data["budget_max_cents"],
            remote=data["remote"],
            location=data["location"],
            deadline=data["deadline"],
            hires_wanted=data["hires_wanted"] or 1,
            sector=data["sector"] or "",
            publish=data["publish"],
        )
        return Response(o.JobOut(job).data, status=status.HTTP_201_CREATED)


class JobUpdateApi(WriteApi):
    """Edit a draft or open job (its client only)."""

    permission_classes = VERIFIED
    InputSerializer = JobInput

    @extend_schema(
        request=InputSerializer,
        responses={200: o.JobOut, **ERRORS},
        summary="Edit a draft or open job (its client only).",
        tags=["jobs"],
        operation_id="job_update",
    )
    def post(self, request: SignedInRequest, job_id: int) -> Response:
        data = self.validate_input(request)
        job = job_services.job_update(
            job_id=job_id,
            actor=request.user,
            title=data["title"],
            description=data["description"],
            skill_names=data["skills"],
            pricing_type=data["pricing_type"],
            budget_min_cents=data["budget_min_cents"],
            budget_max_cents=data["budget_max_cents"],
            remote=data["remote"],
            location=data["location"],
            deadline=data["deadline"],
            hires_wanted=data["hires_wanted"],
            sector=data["sector"],
        )
        return Response(o.JobOut(job).data)


class JobPublishApi(WriteApi):
    """Publish a draft job."""

    permission_classes = VERIFIED

    @extend_schema(
        request=None,
        responses={200: o.JobOut, **ERRORS},
        summary="Publish a draft job.",
        tags=["jobs"],
        operation_id="job_publish",
    )
    def post(self, request: SignedInRequest, job_id: int) -> Response:
        self.validate_input(request)
        job = job_services.job_publish(job_id=job_id, actor=request.user)
        return Response(o.JobOut(job).data)


class JobCloseApi(WriteApi):
    """Close a job to new proposals."""

    @extend_schema(
        request=None,
        responses={200: o.JobOut, **ERRORS},
        summary="Close a job to new proposals.",
        tags=["jobs"],
        operation_id="job_close",
    )
    def post(self, request: SignedInRequest, job_id: int) -> Response:
        self.validate_input(request)
        job = job_services.job_close(job_id=job_id, actor=request.user)
        return Response(o.JobOut(job).data)


class JobReopenApi(WriteApi):
    """Reopen a filled or closed job, for more hires when hires_wanted is raised."""

    class InputSerializer(serializers.Serializer):
        hires_wanted = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1, max_value=MAX_HIRES
        )

    @extend_schema(
        request=InputSerializer,
        responses={200: o.JobOut, **ERRORS},
        summary="Reopen a filled or closed job, for more hires when hires_wanted is raised.",
        tags=["jobs"],
        operation_id="job_reopen",
    )
    def post(self, request: SignedInRequest, job_id: int) -> Response:
        data = self.validate_input(request)
        job = job_services.job_reopen(job_id=job_id, actor=request.user, hires_wanted=data["hires_wanted"])
        return Response(o.JobOut(job).data)


class JobCancelApi(WriteApi):
    """Cancel a job; its live proposals are declined."""

    @extend_schema(
        request=None,
        responses={200: o.JobOut, **ERRORS},
        summary="Cancel a job; its live proposals are declined.",
        tags=["jobs"],
        operation_id="job_cancel",
    )
    def post(self, request: SignedInRequest, job_id: int) -> Response:
        self.validate_input(request)
        job = job_services.job_cancel(job_id=job_id, actor=request.user)
        return Response(o.JobOut(job).data)


class JobAttachmentApi(UploadApi):
    """Attach a file to a job (multipart) and return the job."""

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()

    @extend_schema(
        request=InputSerializer,
        responses={201: o.JobOut, **ERRORS},
        summary="Attach a file to a job (multipart).",
        tags=["jobs"],
        operation_id="job_attachment_add",
    )
    def post(self, request: SignedInRequest, job_id: int) -> Response:
        data = self.validate_input(request)
        attachment = job_services.job_attachment_add(job_id=job_id, actor=request.user, file=data["file"])
        return Response(o.JobOut(attachment.job).data, status=status.HTTP_201_CREATED)
