"""sitr.report."""
