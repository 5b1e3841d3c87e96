"""sitr.detect."""
