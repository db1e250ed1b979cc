"""Writes for the marketplace, one module per sub-domain. Each service is atomic and audited."""
