"""The complementary withholding shared by the open data and the landlord's figures."""

from ancrage.core.secrecy import complete_withholding


def test_a_single_withheld_cell_takes_the_smallest_shown_one_with_it():
    # 40 + 3 + 15 = 58: with only « 3 » hidden, 58 − 40 − 15 would give it back.
    assert complete_withholding([False, True, False], [40, 3, 15]) == [False, True, True]


def test_two_withheld_cells_or_none_stay_as_they_are():
    assert complete_withholding([True, True, False], [2, 4, 30]) == [True, True, False]
    assert complete_withholding([False, False], [20, 30]) == [False, False]


def test_a_breakdown_of_one_withheld_cell_has_nothing_else_to_hide():
    assert complete_withholding([True], [4]) == [True]
