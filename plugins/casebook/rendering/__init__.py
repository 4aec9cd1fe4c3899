"""Step 2: while Pelican reads and renders: our Markdown reader, lessons, sanitising."""
