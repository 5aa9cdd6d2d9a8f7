"""Tell respondents of the surveys that opened since the last run (e.g. a class's follow-up,
three months after it ended). Meant for cron, daily or hourly::

    0 8 * * *  cd /srv/luodi && .venv/bin/python manage.py announce_surveys

Each survey is announced once, however often this runs."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from luodi.surveys.services import surveys_announce


class Command(BaseCommand):
    help = "Notify the respondents of surveys that have opened and were not announced yet."

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            announced = surveys_announce()
        self.stdout.write(f"Surveys announced: {announced}")
