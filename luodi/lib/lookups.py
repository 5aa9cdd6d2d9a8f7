"""``__in`` on an integer column (ids above all) leaves out values beyond the column's range.

Django already answers ``exact``, ``lt``, ``gt``… with an out-of-range integer as "no row"
(``IntegerFieldOverflow``); ``in`` passed the value to the database, where SQLite refused it
with an ``OverflowError`` and PostgreSQL with an out-of-range error: a multiple choice posted
with a made-up 30-digit id (``ModelMultipleChoiceField`` checks its choices with ``pk__in``) was
a 500 instead of "not one of the available choices". No row can hold such a value, so it is
dropped, and an ``in`` left with nothing matches nothing, as an empty ``in`` does.

Registered on ``IntegerField``, so every integer, auto and big-auto field (every primary key)
uses it; imported by ``lib.models``, which every app's models import.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
