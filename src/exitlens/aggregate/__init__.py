"""Aggregation: tables, intervals and agreement statistics over coded cases."""
