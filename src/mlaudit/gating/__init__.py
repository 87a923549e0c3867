"""Whether a scan fails the build: exit codes, suppressions (accepted risks) and baselines."""
