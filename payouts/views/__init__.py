"""The payouts pages: earnings (freelancers), finance (staff), the books and the open books."""
