"""Pages for governance: proposals and votes, elections, and the rules in force."""
