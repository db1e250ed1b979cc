"""Pages of the marketplace: thin views that validate a form, call one service and redirect."""
