"""`invoke bench`: how Casebook scales, side by side with plain Pelican."""
