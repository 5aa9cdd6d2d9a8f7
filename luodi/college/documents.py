"""What the college's documents carry of the college: its name and its seal."""

from luodi.college.models import CollegeSettings


def college_name() -> str:
    """The college's name as printed on documents (in Chinese)."""
    return CollegeSettings.load().printed_name
