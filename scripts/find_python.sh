#!/usr/bin/env sh
# Print the path of a Python >= 3.12 (Django 6 needs it), or explain and fail.
# Order: $PYTHON if given, python3.13, python3.12, pyenv's 3.13/3.12, python3.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

if [ -n "${PYTHON:-}" ]; then
  if ok "$PYTHON"; then command -v "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not Python 3.12 or newer." >&2
  exit 1
fi
for candidate in python3.13 python3.12 \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python \
    /root/.pyenv/versions/3.13*/bin/python /root/.pyenv/versions/3.12*/bin/python \
    python3; do
  if command -v "$candidate" >/dev/null 2>&1 && ok "$candidate"; then
    command -v "$candidate"
    exit 0
  fi
done
echo "No Python 3.12 or newer found (tried python3.13, python3.12, pyenv's versions, python3)." >&2
echo "Install one, or point to it: make demo PYTHON=/path/to/python3.13" >&2
exit 1
