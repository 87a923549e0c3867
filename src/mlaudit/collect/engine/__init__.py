"""The collection engine: declarations, the context collectors run in, scheduling, the call budget."""
