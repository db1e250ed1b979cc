"""Background work for membership. Each task takes ids and calls a service; running twice is safe."""

from celery import shared_task
from django.utils import timezone


@shared_task
def build_data_export(export_id: int) -> None:
    """Build a "download my data" archive."""
    from membership.services import data_export_build

    data_export_build(export_id=export_id)


@shared_task
def expire_data_exports() -> int:
    """Delete the archives whose download link has expired; return how many."""
    from membership.models import DataExport
    from membership.services import data_export_expire

    ids = list(
        DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=timezone.now()).values_list(
            "pk", flat=True
        )
    )
    for export_id in ids:
        data_export_expire(export_id=export_id)
    return len(ids)


@shared_task
def complete_due_resignations() -> int:
    """End the memberships whose notice period has passed; return how many."""
    from membership.selectors import members_due_to_exit
    from membership.services import member_exit_if_due

    done = 0
    for member_id in list(members_due_to_exit().values_list("pk", flat=True)):
        if member_exit_if_due(member_id=member_id) is not None:
            done += 1
    return done
