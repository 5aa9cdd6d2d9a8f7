from luodi.surveys.tests.results_fixtures import (  # noqa: F401 -- the results tests' fixtures
    answer_pages,
    answering,
    evaluation,
    mixed,
)
