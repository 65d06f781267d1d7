"""Write a hostile test corpus: article text and metadata that try to become live HTML.

Scraped pages do carry ``<script>`` and ``onerror=``, and nbconvert does not sanitize, so the
reports must show such text as text. :func:`write_hostile_corpus` writes a small corpus, made
here (nothing copied from research data), in .txt (front matter, YAML sidecar), .html, .jsonl
and .csv, whose text AND metadata (``title``, ``source``, ``url``) hold:

* ``<script>`` that sets the probe global ``window.__ak_probe`` and calls ``alert()``;
* ``<img src=x onerror=...>`` and ``<svg onload=...>`` that set the probe too;
* ``javascript:`` links, links and a stylesheet and an ``<iframe>`` on ``http://127.0.0.1``
  (:data:`PROBE_PORT`), so a live element shows up as a request;
* HTML entities (``&lt;script&gt;``, ``&amp;``), ``$x^2$`` math;
* organisations whose names carry ``"><script>`` and ``"><svg/onload=...>``;
* one token of exactly :data:`LONG_TOKEN_CHARS` characters (a script glued to letters);
* markup in the corpus folder's name and in a file name (a document without title).

Each payload names where it sits (``__ak_probe='csv-title'``), so a browser check that sees
the probe says which text went live. Around the payloads are ordinary English news sentences
with named people, organisations and places, statements ("X said ...") and dated events, so
every notebook has entities, statements and a timeline to show.

As a script: ``python tests/hostile.py OUT_DIR`` writes the corpus and prints its folder.
"""

from __future__ import annotations

import csv
import html
import json
import sys
from pathlib import Path

import yaml

PROBE = "__ak_probe"
"""The global a live payload sets (``window.__ak_probe``)."""

PROBE_PORT = 9
"""Port of the local addresses payloads point at (discard: nothing answers there)."""

LONG_TOKEN_CHARS = 100_000

HOSTILE_ORGS = (
    f"Acme\"><script>{PROBE}=1</script>Corp",
    f"Acme\"><svg/onload={PROBE}=1>Corp",
)
"""Organisation names that close an attribute and open a script or a handler; the English
pipeline tags both as ORG in the sentences below (tests/test_browser.py checks it)."""


def payload(tag: str) -> str:
    """Every hostile construct once, each naming ``tag`` (where the text sits).

    Args:
        tag: A short word for the place, e.g. ``"csv-title"``.

    Returns:
        One line of hostile markup and entities, no newline.

    Example:
        >>> "onerror" in payload("x")
        True
    """
    base = f"http://127.0.0.1:{PROBE_PORT}/{tag}"
    return (
        f"<script>window.{PROBE}='{tag}-script';alert('{tag}')</script> "
        f"<img src=x onerror=\"window.{PROBE}='{tag}-img';alert(2)\"> "
        f"<svg onload=\"window.{PROBE}='{tag}-svg'\"></svg> "
        f"<a href=\"javascript:window.{PROBE}='{tag}-js'\">click</a> "
        f"<a href=\"{base}/link\">local</a> "
        f"<link rel=stylesheet href={base}/style.css> "
        f"<iframe src=\"{base}/frame\"></iframe> "
        f"&lt;script&gt;alert(3)&lt;/script&gt; Tom &amp; Jerry $x^2$ "
        f"\"'><script>window.{PROBE}='{tag}-attr'</script>"
    )


def long_token() -> str:
    """One whitespace-free token of exactly :data:`LONG_TOKEN_CHARS` characters."""
    head = f"<script>window.{PROBE}='long-token'</script>"
    return head + "x" * (LONG_TOKEN_CHARS - len(head))


# Ordinary news sentences (written for this corpus): people, organisations, places,
# statements and events with dates, so every notebook has something to show.
STORY_SUDAN = (
    "The United Nations warned on Tuesday that fighting in Sudan had forced thousands of "
    "families from their homes. Rebels attacked a convoy near Khartoum on 2024-03-02, "
    "officials said. Aid agencies said the convoy carried food for refugees in Darfur. "
    "The World Food Programme said it would resume deliveries next week. "
    "Maria Lopez, a spokeswoman for the United Nations, said the attack was a grave "
    "violation of international law. The government of Sudan condemned the attack and "
    "blamed the rebels."
)
STORY_ACME = (
    f"{HOSTILE_ORGS[0]} said on Monday that the plant in Ohio would close. "
    f"John Harlow, the chief executive of {HOSTILE_ORGS[1]}, said the decision was painful. "
    "Officials at Acme\"><script>alert(1)</script> Corp said the company would close its "
    "plant in Ohio. Workers protested outside the plant in Cleveland on Monday. "
    "The governor of Ohio criticised Acme Corp and said the state would help the workers. "
    "Acme Corp announced the closure on 2024-03-01."
)
STORY_SUMMIT = (
    "Leaders of France and Germany met in Berlin on 2024-03-05 to discuss energy prices. "
    "Chancellor Olaf Scholz said Germany would support new investment in wind power. "
    "President Emmanuel Macron praised the agreement and said Europe must act together. "
    "The European Commission welcomed the talks on Wednesday. "
    "Russia accused the European Union of hypocrisy, according to a statement from Moscow."
)
STORY_FLOOD = (
    "Floods hit the coast of Kenya on 2024-03-04 after days of heavy rain. "
    "The Kenya Red Cross said hundreds of people had been evacuated from Mombasa. "
    "President William Ruto said the government would send troops to help. "
    "The World Bank pledged emergency funding on Thursday, a spokesman said."
)


def _text(story: str, tag: str) -> str:
    """A story with the payload in its middle and at its end (text, not metadata)."""
    first, _, rest = story.partition(". ")
    return f"{first}. {payload(tag + '-text')}\n\n{rest}\n\n{payload(tag + '-end')}\n"


def _meta(tag: str, date: str, title: str) -> dict[str, str]:
    return {
        "title": f"{title} {payload(tag + '-title')}",
        "date": date,
        "source": f"Daily {payload(tag + '-source')}",
        "url": f"javascript:window.{PROBE}='{tag}-url'//\"><script>window.{PROBE}='{tag}-url2'"
               f"</script>",
    }


def _front_matter(folder: Path) -> None:
    meta = _meta("front", "2024-03-03", "Fighting in Sudan")
    (folder / "front_matter.txt").write_text(
        "---\n" + yaml.safe_dump(meta, allow_unicode=True, width=10_000) + "---\n"
        + _text(STORY_SUDAN, "front"), encoding="utf-8")


def _sidecar(folder: Path) -> None:
    meta = _meta("sidecar", "2024-03-02", "Acme closes a plant")
    (folder / "sidecar.txt").write_text(_text(STORY_ACME, "sidecar"), encoding="utf-8")
    (folder / "sidecar.meta.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, width=10_000), encoding="utf-8")


def _html(folder: Path) -> None:
    """An HTML article: live markup in the page (the loader drops it) and escaped markup in
    the visible text and title (the loader decodes it into text that looks like markup)."""
    escaped = html.escape(payload("html-text"))
    meta = {key: html.escape(value) for key, value in
            _meta("html", "2024-03-05", "Leaders meet in Berlin").items()}
    first, _, rest = STORY_SUMMIT.partition(". ")
    page = (
        "<!DOCTYPE html>\n<html><head>"
        f"<title>{meta['title']}</title>\n"
        f'<meta property="article:published_time" content="{meta["date"]}">\n'
        f'<meta property="og:site_name" content="{meta["source"]}">\n'
        f'<meta property="og:url" content="{meta["url"]}">\n'
        f"<script>window.{PROBE}='html-head-script'</script>\n"
        "</head><body>\n"
        f"<p>{first}. {escaped}</p>\n"
        f"<p>{rest}</p>\n"
        f"<p>{payload('html-live')}</p>\n"  # live markup in the page: never text
        "</body></html>\n"
    )
    (folder / "summit.html").write_text(page, encoding="utf-8")


def _records() -> list[dict[str, str]]:
    return [
        {**_meta("jsonl", "2024-03-04", "Floods in Kenya"), "id": "jsonl-flood",
         "text": _text(STORY_FLOOD, "jsonl")},
        {**_meta("jsonl2", "2024-03-06", "Energy talks"), "id": "jsonl-energy",
         "text": _text(STORY_SUMMIT, "jsonl2")},
    ]


def _jsonl(folder: Path) -> None:
    with (folder / "records.jsonl").open("w", encoding="utf-8") as handle:
        for record in _records():
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _csv(folder: Path) -> None:
    rows = [
        {**_meta("csv", "2024-03-07", "Aid resumes in Darfur"), "id": "csv-aid",
         "text": _text(STORY_SUDAN.replace("Tuesday", "Friday"), "csv")},
        {**_meta("csv2", "2024-03-08", "Ohio workers protest"), "id": "csv-ohio",
         "text": _text(STORY_ACME, "csv2")},
    ]
    with (folder / "records.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "title", "date", "source", "url",
                                                    "text"])
        writer.writeheader()
        writer.writerows(rows)


def _long(folder: Path) -> None:
    meta = _meta("long", "2024-03-09", "A very long token")
    text = (f"The Kenya Red Cross said on 2024-03-09 that the floods had eased. {long_token()} "
            "President William Ruto thanked the rescue teams in Mombasa.\n\n"
            f"{payload('long-text')}\n")
    (folder / "long_token.txt").write_text(
        "---\n" + yaml.safe_dump(meta, allow_unicode=True, width=10_000) + "---\n" + text,
        encoding="utf-8")


def _named(folder: Path) -> None:
    """No metadata at all: the file's name, markup in it, is the document's label."""
    text = (f"The World Bank said on 2024-03-10 that it would lend Kenya more money. "
            f"{payload('named-text')}\n")
    (folder / HOSTILE_FILE_NAME).write_text(text, encoding="utf-8")


HOSTILE_FOLDER = f"hostile\"><img src=x onerror={PROBE}='folder'>"
"""The corpus folder's name (no slash, so one folder): the index and provenance show it."""

HOSTILE_FILE_NAME = f"<img src=x onerror={PROBE}='file-name'>.txt"
"""A file without title: its name is what tables and charts call it."""

EXPECTED_DOCUMENTS = 9
"""Documents the loader reads from the corpus (front matter, sidecar, HTML, 2 JSONL, 2 CSV,
the long token, the hostile file name)."""


def write_hostile_corpus(out_dir: str | Path) -> Path:
    """Write the hostile corpus into ``out_dir/HOSTILE_FOLDER`` and return that folder.

    Args:
        out_dir: A folder (created); the corpus goes into its subfolder
            :data:`HOSTILE_FOLDER` (a name with markup in it), so that nothing else in
            ``out_dir`` is read as an article.

    Returns:
        The corpus folder, for ``load_corpus``, ``Analysis`` or ``build_reports``.

    Example:
        >>> from analystkit import load_corpus
        >>> len(load_corpus(write_hostile_corpus(tmp)))  # doctest: +SKIP
        8
    """
    folder = Path(out_dir) / HOSTILE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for write in (_front_matter, _sidecar, _html, _jsonl, _csv, _long, _named):
        write(folder)
    return folder


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/hostile.py OUT_DIR")
    print(write_hostile_corpus(sys.argv[1]))
