"""Use cases: the only place that joins domain and analysis; owns transactions."""
