"""`invoke import`: a Blogger or WordPress journal, comments included, as Casebook entries and
comments.

The data flows one way: an export file is read into posts and comments (one module per
format), planned as Casebook files and checked by the build's own rules (plan.py), then
written all at once or not at all (writer.py).
"""
