"""Reaching accounts and regions: sessions, credentials, assumed roles, organizations, shards."""
