"""Findings to documents: the ICSR-style report (HTML, PDF, Markdown) and the quote bank."""
