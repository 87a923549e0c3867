"""Collectors: per-service code that turns read-only AWS calls into inventory records."""
