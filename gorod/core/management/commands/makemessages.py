"""Django's makemessages, also extracting plural pairs marked with ``ngettext_noop``.

A stored message (gorod/core/messages.py) is translated when it is read, per reader, so where it
is written its strings are only marked: ``gettext_noop`` for one form (Django's keyword) and
``ngettext_noop`` for a plural pair, which xgettext must know to file the pair as one plural
entry. Django documents subclassing the command to add xgettext options.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=ngettext_noop:1,2"]
