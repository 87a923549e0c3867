"""The configuration file and the per-check settings a user overrides."""
