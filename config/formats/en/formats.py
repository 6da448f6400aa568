# One format per kind on every page and e-mail (issue 23): a date is "5 December 2026", a moment
# "5 December 2026, 14:20" (the city's 24-hour clock, as Moscow's own services write it), in
# tables "5 Dec 2026" and "5 Dec 2026, 14:20": the month by name, since "05.12.2026" is the
# Russian way and an English reader may take it for the 12th of May. Django's English defaults
# ("Dec. 5, 2026, 2:20 p.m.") read as American and end a sentence in "p.m..". Numbers group
# thousands with a comma.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
