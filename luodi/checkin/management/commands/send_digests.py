"""Send the head teachers' daily digest (``luodi.checkin.digest``).

Meant for cron, every morning at 07:00 in the college's time zone, e.g. in the crontab of the
user that runs Luodi::

    0 7 * * *  cd /srv/luodi && .venv/bin/python manage.py send_digests

Running it again the same day sends nothing more: each head teacher gets one digest a day.
The notifications are written (and texted) by the background worker, like every notice.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from luodi.checkin.digest import digests_send


class Command(BaseCommand):
    help = "Send each head teacher with a class running today their daily digest (once a day)."

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            sent = digests_send()
        self.stdout.write(f"Daily digests sent: {sent}")
