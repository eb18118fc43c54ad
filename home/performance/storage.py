"""Media file URLs worked out once per file name.

Django's ``FileSystemStorage.url`` quotes the name and joins it to ``MEDIA_URL`` with
``urljoin`` on every call: each image on a page asks it once per rendition (a listing of
twenty cards, a few dozen times), 3–7 % of an uncached page. The answer depends only on the
base URL and the name, so :class:`MemoizedUrlFileSystemStorage` keeps it per process (the
base URL is part of the key: a changed ``MEDIA_URL`` gives new URLs). The default storage on
the embedded defaults (``DEFAULT_FILE_STORAGE`` unset); object storage (S3 and the like, whose
URLs may be signed and expire) keeps its own ``url``.
"""

from __future__ import annotations

import functools
from urllib.parse import urljoin

from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri

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
