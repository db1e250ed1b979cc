"""Writes for governance, one module per family: rules, proposals, ballots, votes, execution, elections."""
