"""Load benchmarks and the HTTP players they are made of (used by the crash test too)."""
