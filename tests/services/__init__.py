"""The library's services on a real store: privacy, invitations, edits, aan de slag, the demo seed."""
