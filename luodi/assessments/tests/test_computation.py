"""The results' arithmetic against examples computed by hand (see each test's comment)."""

from decimal import Decimal as D

from luodi.assessments import computation as c

# A (40 %): A1 (50 %, max 10), A2 (50 %, max 20); B (60 %): B1 (100 %, max 5).
# Effective weights: A1 0.2, A2 0.2, B1 0.6.
TREE = c.Tree(
    [
        c.Node("A", None, "A", D(40)),
        c.Node("A1", "A", "A1", D(50), D(10)),
        c.Node("A2", "A", "A2", D(50), D(20)),
        c.Node("B", None, "B", D(60)),
        c.Node("B1", "B", "B1", D(100), D(5)),
    ]
)


def test_it_multiplies_weights_down_the_tree():
    weights = TREE.effective_weights()
    assert weights == {"A": D("0.4"), "A1": D("0.2"), "A2": D("0.2"), "B": D("0.6"), "B1": D("0.6")}
    assert sum(weights[leaf.id] for leaf in TREE.leaves) == 1


def test_it_normalises_a_leaf_to_its_maximum():
    assert c.normalised(D(15), D(20)) == D("0.75")


def test_an_experts_total_is_the_weighted_sum_of_normalised_scores():
    # 100 × (0.2 × 8/10 + 0.2 × 15/20 + 0.6 × 4/5) = 16 + 15 + 48 = 79
    assert c.weighted_total(TREE, {"A1": D(8), "A2": D(15), "B1": D(4)}) == 79


def test_a_unit_takes_each_leafs_mean_over_the_experts_who_scored_it():
    # e3 left A2 out. Means: A1 (8+10+6)/3 = 8, A2 (15+20)/2 = 17.5, B1 (4+5+3)/3 = 4.
    # 100 × (0.2 × 0.8 + 0.2 × 0.875 + 0.6 × 0.8) = 16 + 17.5 + 48 = 81.5
    # (not the mean of the experts' totals, 79, 100 and 48: e3's missing A2 is not a 0).
    result = c.unit_result(
        "u",
        TREE,
        {
            "e1": {"A1": D(8), "A2": D(15), "B1": D(4)},
            "e2": {"A1": D(10), "A2": D(20), "B1": D(5)},
            "e3": {"A1": D(6), "B1": D(3)},
        },
    )
    assert result.total == D("81.50")
    assert result.complete
    assert result.expert_totals == {"e1": D("79.00"), "e2": D("100.00"), "e3": D("48.00")}
    # A: 16 + 17.5 = 33.5 points of its 40 (83.75 %); B: 48 of 60 (80 %).
    assert result.points["A"] == D("33.50")
    assert result.breakdown["A"] == D("83.75")
    assert result.points["B"] == D("48.00")
    assert result.breakdown["B"] == D("80.00")


def test_a_leaf_no_expert_scored_makes_the_unit_incomplete_and_unranked():
    # A2 missing: 100 × (0.2 × 5/10 + 0.6 × 5/5) = 10 + 60 = 70, shown but not ranked.
    partial = c.unit_result("partial", TREE, {"e1": {"A1": D(5), "B1": D(5)}})
    assert partial.total == 70
    assert not partial.complete
    assert [leaf.id for leaf in partial.missing] == ["A2"]
    full = c.unit_result("full", TREE, {"e1": {"A1": D(5), "A2": D(10), "B1": D(3)}})
    ranked = c.rank_and_grade([partial, full], [("优秀", D(90)), ("合格", D(60)), ("不合格", D(0))])
    # full: 100 × (0.2 × 0.5 + 0.2 × 0.5 + 0.6 × 0.6) = 56 → 不合格, rank 1 of the complete.
    assert [(r.unit, r.rank, r.grade) for r in ranked] == [
        ("full", 1, "不合格"),
        ("partial", None, ""),
    ]


def test_a_unit_nobody_scored_is_incomplete_with_zero():
    result = c.unit_result("u", TREE, {})
    assert result.total == 0
    assert not result.complete
    assert len(result.missing) == 3


def test_it_flags_the_expert_far_from_the_others():
    # Median 81; deviations 1, 1, 3, 21; MAD = (1 + 3) / 2 = 2. Limit max(3 × 2, 10) = 10.
    totals = {"a": D(80), "b": D(82), "c": D(84), "d": D(60)}
    assert c.spread_flags(totals, mad_factor=D(3), points=D(10)) == {"d"}
    # Without the points floor the limit is 6: still only d. With k = 1 (limit 2): c too.
    assert c.spread_flags(totals, mad_factor=D(3), points=D(0)) == {"d"}
    assert c.spread_flags(totals, mad_factor=D(1), points=D(0)) == {"c", "d"}
    # A points floor above 21 flags no one.
    assert c.spread_flags(totals, mad_factor=D(3), points=D(25)) == set()


def test_experts_in_exact_agreement_but_one_point_are_not_flagged():
    # MAD 0: without the floor, 1 point would stand out; the floor of 10 keeps it quiet.
    totals = {"a": D(80), "b": D(80), "c": D(80), "d": D(81)}
    assert c.spread_flags(totals, mad_factor=D(3), points=D(10)) == set()
    assert c.spread_flags(totals, mad_factor=D(3), points=D(0)) == {"d"}


def test_two_experts_are_never_flagged():
    assert c.spread_flags({"a": D(90), "b": D(20)}, mad_factor=D(3), points=D(10)) == set()


def test_an_outlier_expert_in_a_unit_result():
    tree = c.Tree([c.Node("X", None, "X", D(100), D(100))])
    result = c.unit_result(
        "u",
        tree,
        {e: {"X": D(v)} for e, v in {"a": 80, "b": 82, "c": 84, "d": 60}.items()},
        mad_factor=D(3),
        points=D(10),
    )
    assert result.flagged == {"d"}
    assert result.total == D("76.50")  # the outlier still counts: (80+82+84+60)/4


def test_equal_totals_share_a_rank_and_the_next_rank_skips():
    assert c.ranks({"a": D(90), "b": D(85), "c": D(85), "d": D(70), "e": None}) == {
        "a": 1,
        "b": 2,
        "c": 2,
        "d": 4,
        "e": None,
    }


def test_grade_bands():
    bands = [("优秀", D(90)), ("合格", D(60)), ("不合格", D(0))]
    assert c.grade(D(90), bands) == "优秀"
    assert c.grade(D("89.99"), bands) == "合格"
    assert c.grade(D("59.99"), bands) == "不合格"
