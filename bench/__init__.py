"""Benchmarks: each case module prints medians and ratios against a baseline measured in the same run."""
