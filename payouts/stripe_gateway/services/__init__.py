"""Writes of the Stripe gateway, one module per family: funding, refunds, connect, webhooks."""
