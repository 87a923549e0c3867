"""The checks as a whole: loading and selecting them, their index, their documentation, generated files."""
