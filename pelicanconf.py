"""Pelican settings for the Casebook journal (local preview).

`pelican content -s pelicanconf.py` and `invoke build` produce the same site.
publishconf.py extends these settings for the published site.
"""

SITENAME = "Casebook"
SITESUBTITLE = "What our customer-service team learned, one call at a time"
SITEURL = ""
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
# The plugin, installed from this folder by requirements.txt (`-e .`). A site with Casebook
# installed by `pip install` may write PLUGINS = ["casebook"]; an editable install like this
# one is not found by that short name, so the full one.
PLUGINS = ["pelican.plugins.casebook"]

# Content layout: entries are articles, the guide pages are pages.
# Only Markdown (.md) is content; other readers are switched off so that a
# stray .html or .rst file is never published by accident.
ARTICLE_PATHS = ["entries"]
PAGE_PATHS = ["pages"]
READERS = {ext: None for ext in ("markdown", "mkd", "mdown", "html", "htm", "rst")}
# Hidden files and folders (an editor's swap or lock file, a .trash folder) are not
# content. Pelican matches these patterns against bare names, so its default, "**/.*",
# matches none; Casebook's checks skip the same names.
IGNORE_FILES = [".*"]

# Rebuilds read only the entries that changed (Pelican's content cache) and
# draw only the pages whose content changed (Casebook's page cache, which
# follows these two switches). `invoke rebuild` builds from scratch.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
GZIP_CACHE = False  # compressing 7 MB of cache took 1.5 s of a 5,000-entry rebuild; disk is cheaper
# A file counts as changed when its content did, not its date: an edit that keeps the
# modification time (cp -p, touch -r, some sync tools) is still built.
CHECK_MODIFIED_METHOD = "blake2b"

# Casebook's own settings (read and checked by plugins/casebook/settings.py).
CASEBOOK_PEOPLE = "people.toml"
CASEBOOK_COMMENTS = "comments"  # content/comments/<entry-slug>/*.md
CASEBOOK_CHANNELS = ["phone", "email", "chat", "in-person", "other"]
CASEBOOK_ENDORSED_URL = "endorsed/"
CASEBOOK_ENDORSED_FEED = "feeds/endorsed.atom.xml"
CASEBOOK_LESSONS_URL = "lessons/"
CASEBOOK_ENDORSED_LESSONS_URL = "lessons/endorsed/"
CASEBOOK_LESSONS_EXPORT = "lessons.json"

# The privacy scan: every build warns about personal data and marks the entry's page in the preview;
# `invoke check` and `invoke publish` refuse it. See docs/privacy.md.
CASEBOOK_PHONE_REGION = "GB"  # how to read phone numbers written without a country code
# A pattern that starts with plain text (ACC-, not \b) is found many times quicker.
CASEBOOK_PRIVACY_PATTERNS = {  # the team's own formats of personal data: kind -> regular expression
    "account number": r"ACC-\d{8}\b",
}
CASEBOOK_PRIVACY_ALLOW = [  # may appear anywhere: our own public numbers, placeholder addresses
    "0800 160 0000",
    "*@example.com",
    "*@example.org",
]
# Never personal data: a number after one of these words is a reference (added to order, ticket,
# case,
# invoice, tracking, waybill, SKU, ref, ID... see plugins/casebook/content/privacy/rules.py), and
# text
# matching one of these regular expressions is one too.
CASEBOOK_PRIVACY_REFERENCE_WORDS = ["complaint"]
CASEBOOK_PRIVACY_REFERENCE_PATTERNS = [
    r"6334(?: ?\d{4}){3}\b"
]  # our loyalty cards, not payment cards
CASEBOOK_PRIVACY_BANNER = (
    True  # the local preview marks entry pages with findings (never published)
)

# Templates escape every value; only HTML the plugin has sanitised is marked safe.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}

# A typed line break is a line break on the page (call transcripts).
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
        "markdown.extensions.extra": {},
        "markdown.extensions.nl2br": {},
    },
    "output_format": "html5",
}

# An entry's date is its Date field, which the content check requires: Pelican
# need not also read one from the file name (a date parse per file, every build).
FILENAME_METADATA = ""

# URLs: one folder per page so addresses stay clean (/2024/03/slug/).
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
AUTHOR_URL = "people/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
AUTHORS_URL = "people/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
ARCHIVES_URL = "archive/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
# Casebook has tags, not categories. Pelican still wants every entry to have
# one (drafts fail without it), so all entries share a category with no pages.
USE_FOLDER_AS_CATEGORY = False
DEFAULT_METADATA = {"category": "journal"}
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
DIRECT_TEMPLATES = [
    "index",
    "tags",
    "authors",
    "archives",
    "404",
]  # 404.html: the page for unknown addresses
INDEX_URL = ""

DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
# Listings show the Summary, or else the first paragraph (never a heading).
SUMMARY_MAX_LENGTH = 60
SUMMARY_MAX_PARAGRAPHS = 1

# Atom feeds for all entries and per tag. Feed links must be absolute, so the
# local preview points them at the dev server; publishconf.py uses SITEURL.
FEED_DOMAIN = "http://localhost:8000"
FEED_ALL_ATOM = "feeds/all.atom.xml"
TAG_FEED_ATOM = "feeds/tags/{slug}.atom.xml"
FEED_MAX_ITEMS = 50
FEED_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DEFAULT_DATE_FORMAT = "%-d %B %Y"

# For supervisors (see the README).
CASEBOOK_REVIEW_URL = "review/"  # the review queue
CASEBOOK_REVIEW_FEED = "feeds/review.atom.xml"
CASEBOOK_REVIEW_COUNT = (
    True  # the queue's count in the header: the local preview only (publishconf.py)
)
CASEBOOK_INSIGHTS_URL = "insights/"  # charts of the journal, drawn at build time
# Trusted endorsements (`invoke check`, and so `invoke publish`): every commit that added or changed
# an
# endorsement's file must be by the endorsing supervisor (their roster email).
CASEBOOK_VERIFY_ENDORSEMENTS = False
CASEBOOK_REQUIRE_SIGNED = False  # ... and signed with their key, as `git verify-commit` checks

# For trainers: reading paths, content/paths/<name>.toml, each a page at paths/<name>/.
CASEBOOK_PATHS = "paths"
CASEBOOK_PATHS_URL = "paths/"
