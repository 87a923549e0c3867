"""What every part of mlaudit shares: vocabularies, errors, immutable models, interrupts, secret recognition."""
