#!/usr/bin/env bash
# Prints a Python interpreter that Rasa 3.6 supports (3.8 to 3.10), 3.10 first.
# PYTHON=/path/to/python overrides the search; it must be such a version too.
set -u

supported() {
  "$1" -c 'import sys; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)' 2>/dev/null
}

if [ -n "${PYTHON:-}" ]; then
  if supported "$PYTHON"; then echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is geen Python 3.8-3.10 (Rasa 3.6 vereist dat)." >&2
  exit 1
fi

candidates=(python3.10)
if command -v pyenv >/dev/null 2>&1; then
  prefix=$(pyenv prefix 3.10.13 2>/dev/null) && candidates+=("$prefix/bin/python")
  root=$(pyenv root 2>/dev/null) && candidates+=("$root"/versions/3.10*/bin/python)
fi
candidates+=("$HOME"/.pyenv/versions/3.10*/bin/python /usr/bin/python3.10 /usr/local/bin/python3.10 python3)
candidates+=(python3.9 "$HOME"/.pyenv/versions/3.9*/bin/python python3.8 "$HOME"/.pyenv/versions/3.8*/bin/python)

for candidate in "${candidates[@]}"; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if supported "$path"; then echo "$path"; exit 0; fi
done

echo "Geen Python 3.8-3.10 gevonden. Installeer Python 3.10 (bijv. 'pyenv install 3.10.13') of geef het pad: make PYTHON=/pad/naar/python3.10 ..." >&2
exit 1
