"""Deleted once marketplace and membership register with core.ports (issue 11): forwards there."""

from core.ports import register_payment_purpose

__all__ = ["register_payment_purpose"]
