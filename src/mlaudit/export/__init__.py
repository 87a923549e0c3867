"""Writing findings to an AWS service: the only thing mlaudit ever writes to an account."""
