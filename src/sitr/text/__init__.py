"""sitr.text."""
