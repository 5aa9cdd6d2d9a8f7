#!/usr/bin/env bash
# Refresh the message catalogues after changing strings: zh_Hans keeps its translations (fill in
# the new, untranslated ones by hand); en is rebuilt so every msgstr equals its msgid.
set -euo pipefail
cd "$(dirname "$0")/.."
manage() { .venv/bin/python manage.py "$@" --ignore=.venv --ignore=var; }
manage makemessages -l zh_Hans --no-obsolete -v 0
rm -f locale/en/LC_MESSAGES/django.po
manage makemessages -l en -v 0
msgen locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po
sed -i '0,/^#, fuzzy$/{/^#, fuzzy$/d}; s/^"Project-Id-Version: .*/"Project-Id-Version: luodi\\n"/; s/^"Last-Translator: .*/"Last-Translator: luodi team\\n"/; s/^"Language-Team: .*/"Language-Team: English\\n"/; s/^"PO-Revision-Date: YEAR.*/"PO-Revision-Date: 2026-11-28 00:00+0800\\n"/' \
  locale/en/LC_MESSAGES/django.po
sed -i 's/^"Plural-Forms: .*/"Plural-Forms: nplurals=2; plural=(n != 1);\\n"/; s/^"Language: .*/"Language: en\\n"/; s/charset=CHARSET/charset=UTF-8/' \
  locale/en/LC_MESSAGES/django.po
msgattrib --untranslated locale/zh_Hans/LC_MESSAGES/django.po | grep -E '^msgid ".+"' || true
