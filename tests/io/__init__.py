"""Files in and out: import, export, Kumu, matching, merging, templates."""
