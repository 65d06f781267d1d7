"""The handlers a rule names (``handler`` in ``rules.toml``), by name.

A handler takes a match of its rule and the tagging context (:class:`_Context`) and returns
``(type, value, anchored)``; it raises ``_Reject`` when the match is not a temporal
expression after all, ``_NoDct`` when its value needs the missing DCT, ``_NoRef`` or
``_Unanchored`` when an anaphor ("that day", "the next day") has no date to refer to.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import dates, durations, relative
from .context import _Context, _Result

HANDLERS: dict[str, Callable[[re.Match, _Context], _Result]] = {
    "iso": dates._h_iso, "slash": dates._h_slash, "mdy": dates._h_mdy, "my": dates._h_my,
    "dmyy": dates._h_dmyy, "month": dates._h_month, "year": dates._h_year,
    "decade": dates._h_decade, "spokendecade": dates._h_spokendecade,
    "century": dates._h_century, "quarter": dates._h_quarter, "qrel": dates._h_qrel,
    "season": dates._h_season, "holiday": dates._h_holiday,
    "spokenyear": dates._h_spokenyear, "yearend": dates._h_yearend,
    "relday": relative._h_relday, "partofday": relative._h_partofday,
    "weekday": relative._h_weekday, "relunit": relative._h_relunit,
    "theunit": relative._h_theunit, "that": relative._h_that, "ago": relative._h_ago,
    "yearago": relative._h_yearago, "clock": relative._h_clock,
    "midpart": relative._h_midpart,
    "duration": durations._h_duration, "durhyph": durations._h_durhyph,
    "durplain": durations._h_durplain, "decadeslong": durations._h_decadeslong,
    "vague": durations._h_vague, "set": durations._h_set, "setadv": durations._h_setadv,
}
"""Handler name -> function."""
