"""Directory search: full-text, accent-folded, typo-tolerant search over companies and experts."""
