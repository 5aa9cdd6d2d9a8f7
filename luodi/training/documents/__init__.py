"""Documents of a class: the timetable (课表), as PDF and xlsx (the class archive, 一期一档, is
reports': ``luodi.reports.class_archive``).

The documents are in Chinese, as colleges hand them out, whatever the reader's interface
language. Builders take a class loaded with ``class_type`` and ``head_teacher`` and issue a
fixed number of queries, however long the roster or the timetable.
"""
