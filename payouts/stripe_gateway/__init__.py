"""Card payments, verified webhooks, Connect onboarding and transfers through Stripe.

Stripe is on only when STRIPE_SECRET_KEY is set. Money is recorded only from verified webhooks,
through the ledger's public services; this app never posts to the ledger on its own.
"""
