"""``__in`` with an integer beyond the column's range matches nothing instead of failing."""

import pytest
from django import forms

from luodi.regions.models import Region, RegionLevel

pytestmark = pytest.mark.django_db

HUGE = 2**70


@pytest.fixture
def province():
    return Region.objects.create(level=RegionLevel.PROVINCE, name="辽宁省", code="210000")


def test_an_out_of_range_id_in_a_list_matches_nothing(province):
    assert list(Region.objects.filter(pk__in=[HUGE, province.pk])) == [province]
    assert list(Region.objects.filter(pk__in=[-HUGE, str(HUGE)])) == []
    assert not Region.objects.exclude(pk__in=[HUGE]).exclude(pk=province.pk).exists()
    assert Region.objects.exclude(pk__in=[HUGE]).get() == province


def test_a_multiple_choice_with_an_out_of_range_id_is_refused_as_a_bad_choice(province):
    field = forms.ModelMultipleChoiceField(queryset=Region.objects.all())
    with pytest.raises(forms.ValidationError) as refused:
        field.clean([str(HUGE), str(province.pk)])
    assert refused.value.code == "invalid_choice"
    assert list(field.clean([str(province.pk)])) == [province]
