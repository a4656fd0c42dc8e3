"""Detectors: each reads the text and returns the spans it flags."""
