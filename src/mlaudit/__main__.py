"""`python -m mlaudit` runs the command-line interface."""

from mlaudit.cli import main

main()
