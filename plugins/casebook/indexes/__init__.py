"""Step 3: what gathers all entries: the lessons index, the endorsement feed, the search index."""
