"""Model-free grouping for the briefing: near-duplicate stories and topics from the Chinese text.

Pure functions over Simplified text; the briefing view (views/brief.py) decides what to show.
"""
