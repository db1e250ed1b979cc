"""Data sovereignty: download-my-data and account deletion, driven by core.privacy's registry.

Apps register their personal data with core.privacy (`register_personal_data`, `KEEP`, `PSEUDONYM`,
`BLANK`, `register_deletion_guard`); this package turns those rules into an export (`export`) and an
erasure (`erasure`), and registers membership's own models (`builtin`).
"""
