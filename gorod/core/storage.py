"""Static files storage for production: whitenoise's compressed, hashed manifest, without
rewriting JavaScript source-map comments (vendored libraries such as Leaflet reference .map
files they do not ship, which would make collectstatic fail)."""

from __future__ import annotations

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(pattern for pattern in HashedFilesMixin.patterns if pattern[0] != "*.js")
