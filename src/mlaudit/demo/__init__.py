"""The demo account: a seeded ML estate served locally by moto, scanned like a real account."""
