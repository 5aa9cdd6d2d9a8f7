"""Helpers shared by the demo builders: random choices, naming, batched writes."""

import math
import multiprocessing
import queue
import random
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from itertools import accumulate
from typing import TypeVar

from django.conf import settings
from django.db import connection
from django.utils import timezone

from luodi.cadres.models import Cadre
from luodi.demo import data
from luodi.lib import personal, pinyin
from luodi.lib.bulk import insert_rows

BATCH_SIZE = 5000  # model instances per bulk_create
ROW_BATCH = 50_000  # plain tuples per insert_rows

T = TypeVar("T")
U = TypeVar("U")


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each part ≥ minimum."""
    rest = total - minimum * len(weights)
    quotas = [rest * w / sum(weights) for w in weights]
    parts = [math.floor(q) for q in quotas]
    by_remainder = sorted(range(len(parts)), key=lambda i: (parts[i] - quotas[i], i))
    for i in by_remainder[: rest - sum(parts)]:
        parts[i] += 1
    return [minimum + p for p in parts]


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def ensure_names(model, names: list[str], defaults=lambda index: {}) -> list[int]:
    """Ids of the rows with these names: vocabulary that a migration or an administrator may
    already have created is reused rather than duplicated."""
    existing = set(model.objects.filter(name__in=names).values_list("name", flat=True))
    missing = [model(name=n, **defaults(i)) for i, n in enumerate(names) if n not in existing]
    model.objects.bulk_create(missing)
    ids = dict(model.objects.filter(name__in=names).values_list("name", "id"))
    return [ids[n] for n in names]


def drawn_in_child(draw: Callable[[], Iterable[T]], keep: Callable[[], object],
                   restore: Callable[[object], None]) -> Iterator[T]:  # fmt: skip
    """Run the generator ``draw()`` in a forked copy of this process and yield its items here
    while the copy draws the next ones: drawing demo rows (the random generator, the builder's
    lists) and writing them overlap on two cores, which a thread cannot do (the GIL: SQLite's
    inserts are short steps, each taking it back). The copy must not use the database (it
    shares this process's connection). ``keep()`` runs in the copy after the last item and
    ``restore(kept)`` here, so that what the draw changed (the random generator's state, the
    builder's lists) is this process's too. An error in the copy is raised here."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child() -> None:
        receiver.close()
        try:
            for item in draw():
                sender.send(("item", item))
            sender.send(("done", keep()))
        except BaseException:  # told to the parent, which raises
            sender.send(("error", traceback.format_exc()))
        sender.close()

    process = context.Process(target=child, name="demo-draw", daemon=True)
    process.start()
    sender.close()
    try:
        while True:
            try:
                kind, value = receiver.recv()
            except EOFError:
                ended = f"The drawing process ended early ({process.exitcode})."
                raise RuntimeError(ended) from None
            if kind == "error":
                raise RuntimeError(f"The drawing process failed:\n{value}")
            if kind == "done":
                restore(value)
                return
            yield value
    finally:
        receiver.close()
        if process.is_alive():
            process.terminate()
        process.join()


def mapped_in_child(func: Callable[[T], U], items: Iterable[T], ahead: int = 3) -> Iterator[U]:
    """``map(func, items)`` with ``func`` run in a forked copy of this process, so that this
    one draws the next items and writes the results while the copy computes (the demo's
    cadres: drawing them here, encrypting and digesting their numbers there). At most
    ``ahead`` items are on their way at once. ``func`` must not use the database (the copy
    shares this process's connection); an error in it is raised here."""
    context = multiprocessing.get_context("fork")
    tasks, results = context.Queue(), context.Queue()

    def child() -> None:
        while True:
            kind, item = tasks.get()
            if kind == "done":
                return
            try:
                results.put(("item", func(item)))
            except BaseException:  # told to the parent, which raises
                results.put(("error", traceback.format_exc()))
                return

    def receive() -> U:
        while True:
            try:
                kind, value = results.get(timeout=1)
            except queue.Empty:
                if not process.is_alive():
                    ended = f"The mapping process ended early ({process.exitcode})."
                    raise RuntimeError(ended) from None
                continue
            if kind == "error":
                raise RuntimeError(f"The mapping process failed:\n{value}")
            return value

    process = context.Process(target=child, name="demo-map", daemon=True)
    process.start()
    waiting = 0
    try:
        for item in items:
            tasks.put(("item", item))
            waiting += 1
            # Results already back are used at once, so that the copy is never without an
            # item; with ``ahead`` on their way, wait for the next result.
            while waiting and (waiting >= ahead or not results.empty()):
                waiting -= 1
                yield receive()
        for _ in range(waiting):
            yield receive()
        tasks.put(("done", None))
        process.join()
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        for channel in (tasks, results):
            channel.cancel_join_thread()  # nothing left to deliver to a copy that has ended
            channel.close()


@contextmanager
def foreign_keys_checked_once(models: list):
    """On PostgreSQL, Django's foreign keys are deferred: every row inserted queues a check run
    at COMMIT, one query per row and key (about 30 million for the enrolments and attendance of
    scale 100: the commit alone ran for many minutes). For a bulk load inside a transaction,
    drop the tables' foreign keys and add them back afterwards, which checks every row in one
    query per key, as a restore does. Elsewhere (SQLite checks each row as it is inserted, with
    an index lookup) nothing changes."""
    if connection.vendor != "postgresql":
        yield
        return
    qn = connection.ops.quote_name
    saved = []
    with connection.cursor() as cursor:
        # Checks still queued by earlier writes of an enclosing transaction (a test's, a
        # caller's) would forbid ALTER TABLE ("pending trigger events"): run them now, and
        # check each row as it is written until the keys are back. Nothing is queued at the
        # start of a step of its own.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            for name, definition in cursor.fetchall():
                saved.append((table, name, definition))
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in saved:
            # The definition is PostgreSQL's own text of the constraint just dropped.
            sql = f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}"
            cursor.execute(sql)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's keys' own mode again


@contextmanager
def indexes_built_after(models: list):
    """For a bulk load inside a transaction, drop the tables' indexes and create them again
    afterwards: each is then sorted once instead of kept up to date row by row, which costs
    the most where keys come in no order (cadres' digests, enrolments' cadres and
    communities). SQLite bench: 30 µs a cadre with the indexes, 12 µs without and 4 µs a
    cadre to create them afterwards. Indexes behind a primary key or UNIQUE constraint stay:
    they are the table's own checks (a unique index of its own, with a condition, checks the
    rows when it is made again). A failure inside rolls the drops back with the rest."""
    qn = connection.ops.quote_name
    tables = [model._meta.db_table for model in models]
    if not tables or connection.vendor not in ("sqlite", "postgresql"):
        yield
        return
    if connection.vendor == "sqlite":
        # Indexes of constraints have no SQL of their own (sqlite_autoindex_…).
        sql = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name = %s ORDER BY name"
        )
    else:
        sql = (
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = %s AND indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE contype IN ('p', 'u', 'x')) ORDER BY indexname"
        )
    saved = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(sql, [table])
            saved += cursor.fetchall()
        for name, _definition in saved:
            cursor.execute(f"DROP INDEX {qn(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in saved:
            cursor.execute(definition)  # the database's own text of the index just dropped


class CadreRows:
    """Cadre rows written as ``Cadre.save`` writes them, without a model instance per row: the
    normalisation and keyed digests of ``Cadre.fill_derived`` (the same ``personal`` functions),
    the ID and phone numbers encrypted by their own fields (``get_db_prep_save``), and the
    pinyin forms given by the caller (``pinyin.forms_of``, equal to ``pinyin.full``/
    ``initials`` of the name). The ID number must be valid already."""

    COLUMNS = (
        "created_at updated_at id name name_pinyin name_initials gender birth_date ethnicity "
        "political_status education id_number id_number_digest phone phone_digest community "
        "post started_on post_since"
    )

    def __init__(self):
        self.key = settings.LUODI_ID_DIGEST_KEY
        self.day = connection.ops.adapt_datefield_value
        self.id_field = Cadre._meta.get_field("id_number")
        self.phone_field = Cadre._meta.get_field("phone")
        self.stamp = connection.ops.adapt_datetimefield_value(timezone.now())

    def row(self, *, id, name, forms, gender, birth_date, ethnicity, political_status, education,
            id_number, phone, community_id, post, started_on, post_since) -> tuple:  # fmt: skip
        id_number, phone = personal.normalize(id_number), personal.normalize(phone)
        return (
            self.stamp,
            self.stamp,
            id,
            name.strip(),
            *forms,
            gender,
            self.day(birth_date),
            ethnicity,
            political_status,
            education,
            self.id_field.get_db_prep_save(id_number, connection),
            personal.id_number_digest(id_number, self.key),
            self.phone_field.get_db_prep_save(phone, connection),
            personal.phone_digest(phone, self.key),
            community_id,
            post,
            self.day(started_on),
            self.day(post_since),
        )

    def rows(self, drawn: list[dict]) -> list[tuple]:
        """``row`` of each cadre drawn: its keyword arguments, with ``name_parts`` (surname,
        given name) instead of ``forms`` where the pinyin is read here (``pinyin.forms_of``)."""
        rows = []
        for cadre in drawn:
            parts = cadre.pop("name_parts")
            if parts:
                cadre["forms"] = pinyin.forms_of(*parts)
            rows.append(self.row(**cadre))
        return rows

    def write(self, rows: list[tuple]) -> None:
        insert_rows(Cadre, self.COLUMNS, rows)


class Weighted:
    """A weighted choice table, drawn with the builder's random generator."""

    def __init__(self, weights: dict):
        self.keys = list(weights)
        self.cum = list(accumulate(weights.values()))

    def pick(self, rng: random.Random):
        return rng.choices(self.keys, cum_weights=self.cum)[0]


def unique_names(rng: random.Random, count: int, taken: set, variants) -> list[str]:
    """Draw ``count`` names not in ``taken``; after repeated clashes move on to the next, rarer
    variant, so small districts get plain names and huge scales still find unique ones."""
    names, level, clashes = [], 0, 0
    while len(names) < count:
        name = variants[level](rng)
        if name in taken:
            clashes += 1
            if clashes > 30 and level < len(variants) - 1:
                level, clashes = level + 1, 0
            continue
        taken.add(name)
        names.append(name)
    return names


def room_name(number: int) -> str:
    return f"学院楼{number}教室"


def place_name(rng: random.Random) -> str:
    return rng.choice(data.PLACE_WORDS)


STREET_VARIANTS = [
    place_name,
    lambda rng: rng.choice(data.DIRECTIONS) + place_name(rng),
    lambda rng: place_name(rng) + rng.choice(data.NUMERALS),
    lambda rng: rng.choice(data.DIRECTIONS) + place_name(rng) + str(rng.randint(1, 99)),
]
COMMUNITY_VARIANTS = [
    lambda rng: place_name(rng) + rng.choice(data.COMMUNITY_SUFFIXES),
    lambda rng: place_name(rng) + rng.choice(data.NUMERALS),
    lambda rng: rng.choice(data.DIRECTIONS) + place_name(rng) + rng.choice(data.COMMUNITY_SUFFIXES),
    lambda rng: place_name(rng) + str(rng.randint(1, 9999)),
]
