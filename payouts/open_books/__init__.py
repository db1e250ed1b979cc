"""Open books: expense claims and supplier invoices, budgets, annual accounts and period closing,
what visitors see of the books by the bylaws, and the open-data datasets (issue 17)."""
