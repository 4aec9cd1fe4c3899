"""Pelican settings for the published journal: pelicanconf.py plus these."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

# The address readers use; set it to where the journal is published.
SITEURL = os.environ.get("CASEBOOK_SITEURL", "https://casebook.intranet.example")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

# `invoke publish` copies the site here: a local folder or user@host:/folder.
# Each publish is a folder under releases/; `current` points at the live one.
CASEBOOK_PUBLISH_TARGET = os.environ.get("CASEBOOK_PUBLISH_TARGET", "/srv/casebook")
CASEBOOK_PUBLISH_KEEP = 5  # releases kept, for `invoke rollback`
CASEBOOK_PUBLISH_RSYNC_OPTIONS = ""  # for example "--bwlimit=500" on a slow link
# For a user@host:/folder target: options for ssh (and so for rsync over ssh), for example
# "-p 2222 -i ~/.ssh/casebook"; what ~/.ssh/config says for the host applies too.
CASEBOOK_PUBLISH_SSH_OPTIONS = ""

# An internal site: robots.txt disallows everything and every page says noindex.
CASEBOOK_NOINDEX = True

# What is published is built from scratch, never from a cache.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# The privacy banner is for the local preview; a published page never shows one (and `invoke
# publish`
# refuses personal data anyway).
CASEBOOK_PRIVACY_BANNER = False

# Drafts are previewed locally but never published.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# The review queue's count belongs to the supervisors' local preview, not to every reader's header.
CASEBOOK_REVIEW_COUNT = False
