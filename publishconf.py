"""Pelican settings for the published journal: pelicanconf.py plus these."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

# The address readers use; set it to where the journal is published.
SITEURL = os.environ.get("CASEBOOK_SITEURL", "https://casebook.intranet.example")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

# Drafts are previewed locally but never published.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
