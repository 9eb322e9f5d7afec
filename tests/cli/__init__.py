"""The `mapper` command through Click's runner."""
