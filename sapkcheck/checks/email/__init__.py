"""Email checks: cleaning, syntax, the ASCII fast path, comparison with the record, domain typos."""
