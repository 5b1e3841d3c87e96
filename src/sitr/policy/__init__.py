"""sitr.policy."""
