"""sitr.audit."""
