"""Media and static file URLs worked out once per file name.

Django's ``FileSystemStorage.url`` quotes the name and joins it to ``MEDIA_URL`` with
``urljoin`` on every call: each image on a page asks it once per rendition (a listing of
twenty cards, a few dozen times), 3–7 % of an uncached page. The answer depends only on the
base URL and the name, so :class:`MemoizedUrlFileSystemStorage` keeps it per process (the
base URL is part of the key: a changed ``MEDIA_URL`` gives new URLs). The default storage on
the embedded defaults (``DEFAULT_FILE_STORAGE`` unset); object storage (S3 and the like, whose
URLs may be signed and expire) keeps its own ``url``.

:class:`MemoizedUrlStaticFilesStorage` does the same for ``{% static %}`` (five in the shell of
every page) with DEBUG off: WhiteNoise's compressed manifest storage, which looks each name up
in the manifest and joins it to ``STATIC_URL`` every time. Kept per storage instance (Django
makes a new one when ``STATIC_URL`` or ``STORAGES`` change) and per DEBUG, and forgotten while
``collectstatic`` makes a new manifest.
"""

from __future__ import annotations

import functools
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri
from whitenoise.storage import CompressedManifestStaticFilesStorage

_MEMO_SIZE = 16384  # file names: a studio's images and their renditions


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _joined(base_url: str, name: str) -> str:
    return urljoin(base_url, filepath_to_uri(name).lstrip("/"))  # what FileSystemStorage.url does


class MemoizedUrlFileSystemStorage(FileSystemStorage):
    def url(self, name):
        base_url = self.base_url
        if base_url is None or not isinstance(name, str):
            return super().url(name)
        return _joined(base_url, name)


_STATIC_MEMO_SIZE = 1024  # a site's static files: a few dozen


class MemoizedUrlStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple, str] = {}

    def url(self, name, force=False):
        key = (name, force, settings.DEBUG)
        try:
            return self._urls[key]
        except (KeyError, TypeError):  # not kept yet, or a name that is not a string
            url = super().url(name, force)  # a name not in the manifest raises, every time
            if isinstance(name, str):
                if len(self._urls) >= _STATIC_MEMO_SIZE:
                    self._urls.clear()
                self._urls[key] = url
            return url

    def post_process(self, *args, **kwargs):
        self._urls.clear()
        try:
            yield from super().post_process(*args, **kwargs)
        finally:
            self._urls.clear()
