"""The scan result and what is done with it as a whole: its model, findings, saving, streaming, diffing, merging."""
