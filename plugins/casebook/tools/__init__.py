"""The tasks beyond building: start entries and comments, check, publish."""
