"""Deterministic demo data for Longhua District (``manage.py load_demo``)."""
