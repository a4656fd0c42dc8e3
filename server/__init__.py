"""Kvarter: a net-patrol chat service."""
