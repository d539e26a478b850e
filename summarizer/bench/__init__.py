"""Benchmarks behind `summarizer bench`: each measures one stage against a baseline in the same run."""
