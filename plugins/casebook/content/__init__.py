"""Step 1: the content files (entries, comments, the roster), read and checked before the build."""
