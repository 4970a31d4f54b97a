"""Reference data: countries, the Export Control List, and products classified against it."""
