"""Benchmark: survey results against the bare SQL aggregates they need, at 100,000 responses.

    .venv/bin/python bench/survey_results.py [--quick] [--responses N] [--rounds N]

In a child process, on a throwaway SQLite database (a temporary LUODI_DATA_DIR), it builds a
needs survey (three 6-item matrices scored 1–5, a single and a multiple choice, a text
answered by one in ten) and a session evaluation (the 5 × 20 rubric, a comment from one in
five), and bulk-inserts N responses to each (raw ``executemany``: some 2.6 million answers
at N = 100,000). Then it measures, alternately A B A B, median of the rounds:

A  the baseline: the same numbers from hand-written SQL (the ``GROUP BY`` over the answers,
   the respondents of the multiple choice, the responses counted, the questions and the
   texts read) through a bare cursor in the same database;
B  ``surveys.results`` as the pages call it (``survey_results`` without the keywords, the
   evaluation's ``evaluation_score``, the roll-up per teacher), and the needs analysis of
   one city's cadres (``needs.analysis.rank_topics``: the topics' levels, findings, the texts
   naming them and the quotes).

Both sides are checked to give the same numbers before anything is timed. Cutting the texts
into words (jieba) has no SQL counterpart: it is timed on its own and reported beside.

Quality bar (docs/quality-bars.md, "Statistics"): each ≤ 2× its bare SQL; ``ratio`` is the
worst. ``--quick`` builds 10,000 responses. The last line is one JSON object; the exit code is
0 whether or not the bar is met.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common


def _to_stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


ROOT = Path(__file__).resolve().parent.parent
BAR = 2.0
PHRASES = [
    "垃圾分类推进难",
    "老旧小区改造矛盾多",
    "居民议事会组织不起来",
    "网格员工作量太大",
    "12345热线工单处理",
    "物业纠纷调解",
    "志愿服务队伍建设",
    "党建引领基层治理",
    "养老服务需求大",
    "社区经费不足",
]


def _build(n: int) -> dict:
    """Two surveys with ``n`` responses each; returns what the measures need."""
    from django.db import connection, transaction

    from conftest import Factory
    from luodi.curriculum.models import CourseCategory, NeedTopic
    from luodi.regions.models import RegionLevel
    from luodi.surveys import blueprints, services
    from luodi.surveys.models import Audience, Purpose, QuestionKind
    from luodi.surveys.services import QuestionSpec
    from luodi.training.models import ClassType

    make = Factory()
    province = make.region(level=RegionLevel.PROVINCE, name="辽宁省", code="210000")
    cities = [
        make.region(level=RegionLevel.CITY, name=name, code=code, parent=province)
        for name, code in (("大连市", "210200"), ("沈阳市", "210100"), ("鞍山市", "210300"))
    ]
    category = CourseCategory.objects.create(name="社区治理", position=1)
    teacher = make.teacher()
    course = make.course(category)
    tc = make.training_class(ClassType.objects.create(name="社区党组织书记培训班"))
    session = make.session(tc, course, teacher)
    # 18 need topics, six per matrix; ten are named by the phrases' first four characters, so
    # the analysis finds them in the text answers.
    names = [p[:4] for p in PHRASES] + [f"主题{i}" for i in range(8)]
    topics = [
        NeedTopic.objects.create(name=name, category=category, position=i)
        for i, name in enumerate(names)
    ]
    needs = services.survey_create(
        by=None,
        title="培训需求调研",
        purpose=Purpose.NEEDS,
        audience=Audience.CADRES,
        anonymous=False,
        questions=[
            *(
                QuestionSpec(
                    kind=QuestionKind.MATRIX,
                    text=f"需求{m}",
                    options=[t.name for t in topics[6 * m : 6 * m + 6]],
                    option_topics=[t.pk for t in topics[6 * m : 6 * m + 6]],
                    scale=(1, 5),
                    role=blueprints.NEED_LEVEL,
                )
                for m in range(3)
            ),
            QuestionSpec(
                kind=QuestionKind.SINGLE, text="岗位年限", options=["1年内", "1-5年", "5年以上"]
            ),
            QuestionSpec(
                kind=QuestionKind.MULTIPLE, text="教学方式", options=[f"方式{i}" for i in range(6)]
            ),
            QuestionSpec(
                kind=QuestionKind.LONG_TEXT,
                text="最难的问题",
                required=False,
                role=blueprints.PROBLEM,
            ),
        ],
    )
    evaluation = services.survey_create(
        by=None,
        title="评教",
        purpose=Purpose.EVALUATION,
        audience=Audience.CLASS,
        training_class=tc,
        session=session,
        questions=[
            QuestionSpec(
                kind=QuestionKind.MATRIX,
                text="评分",
                options=blueprints.rubric_criteria(),
                scale=(0, 20),
                role=blueprints.RUBRIC,
            ),
            QuestionSpec(kind=QuestionKind.LONG_TEXT, text="意见", required=False),
        ],
    )
    rng = random.Random(10)
    posts = ["secretary", "director", "grid_worker", "committee_member"]
    qs = {s.pk: list(s.questions.all()) for s in (needs, evaluation)}
    response_sql = (
        "INSERT INTO surveys_response (id, survey_id, cadre_id, submitted_at, city_id, post, "
        "training_class_id) VALUES (%s, %s, NULL, NULL, %s, %s, %s)"
    )
    answer_sql = (
        "INSERT INTO surveys_answer (id, response_id, question_id, item, value, text, review) "
        "VALUES (%s, %s, %s, %s, %s, %s, 'pending')"
    )
    answers_written = 0
    for survey in (needs, evaluation):
        for start in range(0, n, 5000):
            responses, answers = [], []
            for _ in range(min(5000, n - start)):
                rid = uuid.uuid4().hex
                responses.append((rid, survey.pk, rng.choice(cities).pk, rng.choice(posts), tc.pk))
                for q in qs[survey.pk]:
                    if q.kind == QuestionKind.MATRIX:
                        low = 12 if q.scale_max == 20 else 1
                        answers += [
                            (uuid.uuid4().hex, rid, q.pk, i, rng.randint(low, q.scale_max), "")
                            for i in range(len(q.options))
                        ]
                    elif q.kind == QuestionKind.SINGLE:
                        answers.append((uuid.uuid4().hex, rid, q.pk, None, rng.randrange(3), ""))
                    elif q.kind == QuestionKind.MULTIPLE:
                        answers += [
                            (uuid.uuid4().hex, rid, q.pk, None, v, "")
                            for v in rng.sample(range(6), rng.randint(1, 3))
                        ]
                    elif rng.random() < (0.1 if survey is needs else 0.2):
                        text = "，".join(rng.sample(PHRASES, 2))
                        answers.append((uuid.uuid4().hex, rid, q.pk, None, None, text))
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(response_sql, responses)
                cursor.executemany(answer_sql, answers)
            answers_written += len(answers)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "needs": needs,
        "evaluation": evaluation,
        "city": cities[0].pk,
        "answers": answers_written,
    }


# ---- the bare SQL ----------------------------------------------------------------------------


def _baseline_results(survey, city_id=None) -> dict:
    """The numbers of ``survey_results`` from hand-written SQL: questions, responses counted,
    one GROUP BY over the answers, the multiple choice's respondents, the texts."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, options, scale_min, scale_max FROM surveys_question "
            "WHERE survey_id = %s ORDER BY position",
            [survey.pk],
        )
        questions = cursor.fetchall()
        ids = ", ".join(str(q[0]) for q in questions)
        where = f"a.question_id IN ({ids})"  # nosec B608 # ids read just above
        params: list = []
        if city_id:
            where += (
                " AND a.response_id IN "
                "(SELECT id FROM surveys_response WHERE survey_id = %s AND city_id = %s)"
            )
            params = [survey.pk, city_id]
            cursor.execute(
                "SELECT COUNT(*) FROM surveys_response WHERE survey_id = %s AND city_id = %s",
                [survey.pk, city_id],
            )
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM surveys_response WHERE survey_id = %s", [survey.pk]
            )
        (responses,) = cursor.fetchone()
        cursor.execute(
            "SELECT a.question_id, a.item, a.value, COUNT(*) FROM surveys_answer a "  # nosec B608
            f"WHERE {where} GROUP BY a.question_id, a.item, a.value",
            params,
        )
        groups = cursor.fetchall()
        multiple = [q[0] for q in questions if q[1] == "multiple"]
        respondents = []
        if multiple:
            cursor.execute(
                "SELECT a.question_id, COUNT(DISTINCT a.response_id) FROM surveys_answer a "  # nosec B608
                f"WHERE {where} AND a.question_id IN ({', '.join(map(str, multiple))}) "
                "GROUP BY a.question_id",
                params,
            )
            respondents = cursor.fetchall()
        texts = []
        for q in questions:
            if q[1] in ("short_text", "long_text"):
                cursor.execute(
                    "SELECT a.id, a.text, a.review FROM surveys_answer a "  # nosec B608
                    f"WHERE {where} AND a.question_id = %s AND a.text != '' LIMIT 5000",
                    [*params, q[0]],
                )
                texts.append(sorted(cursor.fetchall()))
    return {"responses": responses, "groups": groups, "respondents": respondents, "texts": texts}


def _baseline_score(survey) -> tuple:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT SUM(a.value), SUM(q.scale_max), COUNT(DISTINCT a.response_id) "
            "FROM surveys_answer a JOIN surveys_question q ON q.id = a.question_id "
            "WHERE q.survey_id = %s AND q.role = 'rubric' AND a.value IS NOT NULL",
            [survey.pk],
        )
        return cursor.fetchone()


def _baseline_teachers() -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.teacher_id, SUM(a.value), SUM(q.scale_max), COUNT(DISTINCT a.response_id), "
            "COUNT(DISTINCT s.id) FROM surveys_answer a "
            "JOIN surveys_question q ON q.id = a.question_id "
            "JOIN surveys_survey v ON v.id = q.survey_id "
            "JOIN training_session s ON s.id = v.session_id "
            "WHERE q.role = 'rubric' AND v.purpose = 'evaluation' AND a.value IS NOT NULL "
            "GROUP BY s.teacher_id"
        )
        rows = cursor.fetchall()
        teachers = ", ".join(str(r[0]) for r in rows)
        cursor.execute(f"SELECT id, name FROM faculty_teacher WHERE id IN ({teachers})")  # nosec B608
        cursor.fetchall()
        return rows


def _baseline_analysis(city_id: int) -> tuple:
    """What the needs analysis of one city's cadres reads: the topics, the need-level
    questions, the answers' GROUP BY per item with the city's responses, the findings (none
    here), the texts naming each topic, and the pool of quotes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, category_id FROM curriculum_needtopic ORDER BY id")
        topics = cursor.fetchall()
        cursor.execute(
            "SELECT q.id, q.option_topics FROM surveys_question q JOIN surveys_survey s "
            "ON s.id = q.survey_id WHERE q.role = 'need_level' AND s.purpose = 'needs'"
        )
        questions = cursor.fetchall()
        ids = ", ".join(str(q[0]) for q in questions)
        cursor.execute(
            "SELECT a.question_id, a.item, COUNT(*), SUM(a.value), "
            "SUM(CASE WHEN a.value >= 4 THEN 1 ELSE 0 END) FROM surveys_answer a "
            "JOIN surveys_response r ON r.id = a.response_id "
            f"WHERE r.city_id = %s AND a.question_id IN ({ids}) "  # nosec B608
            "AND a.item IS NOT NULL AND a.value IS NOT NULL GROUP BY a.question_id, a.item",
            [city_id],
        )
        groups = cursor.fetchall()
        cursor.execute("SELECT COUNT(*) FROM needs_finding")
        cursor.fetchall()
        counts = ", ".join("SUM(CASE WHEN a.text LIKE %s THEN 1 ELSE 0 END)" for _ in topics)
        problems = (
            "FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
            "JOIN surveys_question q ON q.id = a.question_id "
            "JOIN surveys_survey s ON s.id = q.survey_id WHERE r.city_id = %s "
            "AND q.role = 'problem' AND s.purpose = 'needs' AND a.text != ''"
        )
        cursor.execute(
            f"SELECT {counts} {problems}",  # nosec B608
            [f"%{t[1]}%" for t in topics] + [city_id],
        )
        hits = cursor.fetchone()
        cursor.execute(f"SELECT a.text {problems} AND a.review != 'hidden' LIMIT 2000", [city_id])  # nosec B608
        cursor.fetchall()
        return groups, hits


def _time(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def measure(n: int, rounds: int) -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luodi.settings")
    django.setup()
    from django.core.management import call_command

    from luodi.lib.keywords import keywords
    from luodi.needs.analysis import Group, rank_topics
    from luodi.surveys import results

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    built = _build(n)
    build_s = time.perf_counter() - started
    needs, evaluation, city = built["needs"], built["evaluation"], built["city"]

    def needs_all():
        return results.survey_results(needs, show_text="all", keywords=False)

    def needs_city():
        return results.survey_results(needs, city_id=city, show_text="all", keywords=False)

    def evaluation_page():
        return (
            results.survey_results(evaluation, show_text="all", keywords=False),
            results.evaluation_score(evaluation),
        )

    def teachers():
        return results.evaluation_scores("teacher")

    def analysis():
        return rank_topics(Group(city_ids=(city,)))

    pairs = {
        "needs results": (lambda: _baseline_results(needs), needs_all),
        "needs results, one city": (lambda: _baseline_results(needs, city), needs_city),
        "evaluation results and score": (
            lambda: (_baseline_results(evaluation), _baseline_score(evaluation)),
            evaluation_page,
        ),
        "evaluation per teacher": (_baseline_teachers, teachers),
        "needs analysis, one city": (lambda: _baseline_analysis(city), analysis),
    }
    # Both sides agree, and the warm-up fills the page cache for both.
    report, sql = needs_all(), _baseline_results(needs)
    assert report.responses == sql["responses"] == n, (report.responses, sql["responses"])
    assert sum(s.count for r in report.questions for i in r.items for s in i.distribution) == sum(
        g[3] for g in sql["groups"] if g[1] is not None
    )
    assert sum(len(t) for t in sql["texts"]) == sum(r.text_count for r in report.questions)
    city_report, city_sql = needs_city(), _baseline_results(needs, city)
    assert city_report.responses == city_sql["responses"]
    _page, score = evaluation_page()
    sql_score = _baseline_score(evaluation)
    assert (score.points, score.possible, score.responses) == tuple(sql_score), sql_score
    (teacher,) = teachers()
    assert (teacher.points, teacher.responses) == (_baseline_teachers()[0][1], n)
    ranked, (groups, hits) = analysis(), _baseline_analysis(city)
    assert sum(r.respondents for r in ranked) == sum(g[2] for g in groups)
    assert sum(r.keyword_hits for r in ranked) == sum(h or 0 for h in hits) > 0
    figures = {}
    busy = 0
    for name, (baseline, candidate) in pairs.items():

        def rounds_of(baseline=baseline, candidate=candidate):
            a, b = [], []
            for _ in range(rounds):
                a.append(_time(baseline))
                b.append(_time(candidate))
            return a, b

        # The child's stdout is its JSON: what it says about the load goes to stderr.
        (a, b), quiet = _common.measured_figure(rounds_of, say=_to_stderr)
        busy += not quiet
        figures[name] = {"sql": statistics.median(a), "luodi": statistics.median(b)}
    texts = [a.text for r in report.questions for a in r.texts]
    all_texts = [t for rows in sql["texts"] for _pk, t, _r in rows]
    keywords(texts[:10])  # jieba's dictionary loads once per process: not what is measured
    return {
        "figures_measured_on_a_busy_machine": busy,
        **_common.load_fields(),
        "responses": n,
        "answers": built["answers"],
        "build_s": round(build_s, 1),
        "figures": figures,
        "keywords_texts": len(all_texts),
        "keywords_s": _time(lambda: keywords(all_texts)),
        "score": score.score,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 responses")
    parser.add_argument("--responses", type=int)
    parser.add_argument("--rounds", type=int, default=5, help="A/B rounds (default 5, min 3)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    rounds = max(3, args.rounds)
    if args.child is not None:
        print(json.dumps(measure(args.child, rounds)))
        return
    n = args.responses or (10_000 if args.quick else 100_000)
    with tempfile.TemporaryDirectory(prefix="luodi-bench-surveys-") as data_dir:
        os.makedirs(os.path.join(data_dir, "static"), exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LUODI_DEBUG"}}
        env.update(LUODI_DATA_DIR=data_dir, LUODI_LOG_LEVEL="ERROR")
        done = subprocess.run(  # nosec B603 # this very script, with fixed arguments
            [sys.executable, __file__, "--child", str(n), "--rounds", str(rounds)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit("measuring failed")
    sys.stderr.write("".join(line for line in done.stderr.splitlines(True) if "busy" in line))
    run = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"{run['responses']:,} responses to each survey, {run['answers']:,} answers "
        f"(built in {run['build_s']} s); load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    rows = {}
    for name, figure in run["figures"].items():
        ratio = figure["luodi"] / figure["sql"]
        rows[name] = {
            "sql_ms": round(1000 * figure["sql"], 2),
            "luodi_ms": round(1000 * figure["luodi"], 2),
            "ratio": round(ratio, 2),
        }
        print(
            f"{name:>30}: bare SQL {figure['sql'] * 1000:8.1f} ms | Luodi "
            f"{figure['luodi'] * 1000:8.1f} ms | ratio {ratio:5.2f}",
            flush=True,
        )
    print(
        f"{'keywords (jieba)':>30}: {run['keywords_texts']:,} texts in "
        f"{run['keywords_s'] * 1000:.0f} ms (no SQL counterpart)",
        flush=True,
    )
    ratio = max(r["ratio"] for r in rows.values())
    result = {
        "bench": "survey_results",
        "ratio": ratio,
        "bar": BAR,
        "pass": ratio <= BAR,
        "responses": run["responses"],
        "answers": run["answers"],
        "rounds": rounds,
        "database": "sqlite",
        "figures": rows,
        "keywords_ms": round(1000 * run["keywords_s"]),
        "keywords_texts": run["keywords_texts"],
        "load": [round(x, 2) for x in os.getloadavg()],
        **_common.load_fields(),
        "figures_measured_on_a_busy_machine": run["figures_measured_on_a_busy_machine"],
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
