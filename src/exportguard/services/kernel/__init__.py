"""Unit of work, the audit log's append and verify, and what every command shares."""
