"""Catalogue search: full-text, accent-folded search over published products, with facets."""
