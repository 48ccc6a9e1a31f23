#!/usr/bin/env bash
# Re-extract the messages (babel.cfg) into translations/messages.pot, merge them into
# every translations/<locale>/LC_MESSAGES/messages.po (existing translations are kept;
# no fuzzy guesses), compile the .mo files, and list what still needs translating.
#
#   translations/update.sh            from the project root or anywhere else
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
PYTHON=${PYTHON:-.venv/bin/python}

"$PYBABEL" -q extract -F babel.cfg -k N_ -k NP_:1c,2 -k _l -k lazy_gettext -k gettext -k ngettext:1,2 \
    -o translations/messages.pot --no-wrap --sort-by-file \
    --project "Technology Market" --copyright-holder "Technology Market" .
"$PYBABEL" -q update -i translations/messages.pot -d translations --no-wrap \
    --no-fuzzy-matching --ignore-obsolete
"$PYBABEL" compile -d translations -f --statistics

# Chinese must be complete: report empty or fuzzy entries (English falls back to msgids).
# The folder is zh_Hans_CN, not zh_CN: Babel parses the locale "zh_CN" into zh_Hans_CN
# and Flask-Babel looks the catalogue up under that name (then "zh"), never "zh_CN".
"$PYTHON" - <<'PY'
import sys
from babel.messages.pofile import read_po

with open("translations/zh_Hans_CN/LC_MESSAGES/messages.po", "rb") as handle:
    catalog = read_po(handle)
todo = []
for message in catalog:
    if not message.id:
        continue
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if message.fuzzy or not all(strings):
        todo.append(message.id if isinstance(message.id, str) else message.id[0])
print(f"zh_Hans_CN: {len(catalog)} messages, {len(todo)} untranslated or fuzzy")
for msgid in todo:
    print(f"  - {msgid}")
sys.exit(1 if todo else 0)
PY
