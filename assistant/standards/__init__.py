"""Structured standards: typed tables that answer what they hold exactly, and the checks on them.

The SEQS 2016 effluent limits, the IEE/EIA screening schedules of the 2021 Regulations and the
self-monitoring tables of the 2014 Rules.

Reading figures, shared by every table:
- numbers.py: numbers as written ("1,200", "1,00,000", "12,5"), read into exact decimals.
- units.py: unit spellings, families and conversions.
- citation.py: a table row cited (standard, row, document) and the "Source:" sentences.

The SEQS effluent limits:
- seqs.py: the typed limits table (Limit, Bound, Receiving) read from the CSV.
- aliases.py: the curated parameter names, symbols, ambiguous and non-comparable names.
- matching.py: a lab's parameter name resolved to its row, exactly or not at all.
- notation.py: lab-value notations ("<0.01", "ND", ">500", "12 mg/l").
- lab_report.py: a lab report file (CSV or .xlsx) read into rows.
- check.py: the row-by-row check, its statuses and the summary (the decisions a user should
  know about are in its docstring).
- render.py: the check as a plain-text table.
- questions.py: limit questions asked in chat, answered from the table.

Project screening (`cpassist screen`, the "My project" tab):
- schedules.py: the screening CSV as typed entries; thresholds as bands, figures and units read
  from descriptions.
- screening.py: a lay description matched to its entries (embeddings, notes, figures) and the
  requirement decided, or "need more information" / "not listed".
- monitoring.py: self-monitoring categories, frequencies and priority parameters by industry.
- profile.py: the cited profile (requirement, procedure, monitoring, SEQS rows) and
  `screening_answer` for the chat.

Modules here import each other directly; nothing is re-exported from this file, so importing
one table does not load the others.
"""
