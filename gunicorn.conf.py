"""gunicorn's settings for every way the app is served (gunicorn reads ./gunicorn.conf.py by itself).

A search's ``q`` may be 500 characters, and percent-encoded non-Latin text takes up to 12 bytes a
character: the request line must fit about 6,500 bytes, so it gets gunicorn's largest (8,190) instead of
its default 4,094. Longer lines are refused by gunicorn with a 414 before the app sees them.
"""

limit_request_line = 8190
