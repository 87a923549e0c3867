"""mlaudit: audit an AWS account against machine-learning best practices."""

__version__ = "0.1.0"
