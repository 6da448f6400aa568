"""Settings for bench/voting.py's gunicorn: the real site plus one bare comparison view."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "voting_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
