"""Payout cycles: the surplus policy, cycles computed from the ledger, statements, approval, execution."""
