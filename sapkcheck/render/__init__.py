"""Renderers: one place for humans (rich text), one for machines (JSON)."""
