"""Benchmarks and the tools that run them; see BENCHMARKS.md."""
