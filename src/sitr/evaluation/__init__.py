"""Measuring detectors: the fixed train/validation split and the metrics `sitr eval` prints."""
