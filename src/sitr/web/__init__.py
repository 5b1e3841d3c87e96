"""sitr.web."""
