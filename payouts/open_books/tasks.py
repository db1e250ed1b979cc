from celery import shared_task


@shared_task(name="payouts.open_books.tasks.open_data_regenerate")
def open_data_regenerate() -> int:
    """Publish the open-data datasets again (daily, from the beat schedule)."""
    from payouts.open_books.services.open_data import open_data_regenerate as regenerate

    return len(regenerate())
