"""Reads that cross relations, for the marketplace, one module per sub-domain."""
