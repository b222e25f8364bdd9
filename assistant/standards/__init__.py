"""Structured standards: typed tables that answer what they hold exactly (the SEQS effluent limits)."""
