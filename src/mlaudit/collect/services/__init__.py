"""The per-service collectors, one module per service area, each declaring its parts in `COLLECTORS`."""
