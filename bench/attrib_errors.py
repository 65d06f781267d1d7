"""Error analysis of attribution predictions against PolNeAR gold (train or dev).

Usage:
    python bench/attrib_errors.py GOLD.jsonl PRED.jsonl [--show KIND] [--n 20]

Matches predictions to gold one-to-one as the shared scorer does (cue and content overlap,
source overlap when gold has one) and counts error kinds:

* ``missed/<cue>``: a gold attribution with no matching prediction (by gold cue word);
* ``spurious/<lemma>``: a prediction matching no gold attribution (by cue lemma);
* ``content/<kind>``: a matched pair whose content spans differ (where they differ);
* ``cue/<kind>``, ``source/<kind>``: the same for cue and source spans.

``--show KIND`` prints examples of one kind (prefix match). Data stay in the data folder;
nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter


def ov(a, b):
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def whole_score(g, p):
    c1, c2 = ov(g["cue"], p["cue"]), ov(g["content"], p["content"])
    if not c1 or not c2:
        return 0
    if g.get("source") is not None:
        c3 = ov(g["source"], p.get("source"))
        return c1 + c2 + c3 if c3 else 0
    return c1 + c2


def match(ga, pa):
    pairs = sorted(((whole_score(g, p), i, j) for i, g in enumerate(ga)
                    for j, p in enumerate(pa)), key=lambda x: (-x[0], x[1], x[2]))
    used_g, used_p, out = set(), set(), []
    for s, i, j in pairs:
        if s <= 0:
            break
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out, used_g, used_p


_Q = "\"“”„«»"


def _edge_kind(text, g, p, side):
    """Why one edge of a predicted span differs from gold."""
    if side == "start":
        if p < g:
            extra = text[p:g]
            where = "pred starts earlier"
        else:
            extra = text[g:p]
            where = "pred starts later"
    else:
        if p > g:
            extra = text[g:p]
            where = "pred ends later"
        else:
            extra = text[p:g]
            where = "pred ends earlier"
    s = extra.strip()
    if not s:
        what = "space"
    elif all(c in _Q for c in s):
        what = "quote mark"
    elif all(c in ".,;:!?" for c in s):
        what = f"punct {s[:3]}"
    elif all(c in ".,;:!?" + _Q + " " for c in s):
        what = "punct+quote"
    elif "\n" in extra:
        what = "line break+"
    elif re.fullmatch(r"[,;]?\s*(he|she|they|it|we|i)?\s*\w+ed[\.,]?", s.lower()):
        what = "short tail"
    elif len(s.split()) <= 3:
        what = "<=3 words"
    else:
        what = ">3 words"
    return f"{where}: {what}"


def main(argv=None):  # noqa: C901 - a report script: one loop over kinds
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--show")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args(argv)
    gold = {d["doc"]: d for d in map(json.loads, open(args.gold, encoding="utf-8"))}
    pred = {d["doc"]: d for d in map(json.loads, open(args.pred, encoding="utf-8"))}
    counts: Counter = Counter()
    examples: dict[str, list[str]] = {}

    def note(kind, text):
        counts[kind] += 1
        examples.setdefault(kind, []).append(text)

    for name, g in gold.items():
        text = g["text"]
        ga = g["attributions"]
        pa = pred.get(name, {"attributions": []})["attributions"]
        pairs, used_g, used_p = match(ga, pa)

        def show(a, text=text):
            src = a.get("source")
            ctx_s = min(x[0] for x in (a["cue"], a["content"], src) if x)
            ctx_e = max(x[1] for x in (a["cue"], a["content"], src) if x)
            return (f"  SRC={text[src[0]:src[1]]!r} CUE={text[slice(*a['cue'])]!r}\n"
                    f"  CONTENT={text[slice(*a['content'])][:300]!r}\n"
                    f"  CTX={text[max(0, ctx_s - 80):ctx_e + 40][:500]!r}"
                    if src else
                    f"  SRC=None CUE={text[slice(*a['cue'])]!r}\n"
                    f"  CONTENT={text[slice(*a['content'])][:300]!r}\n"
                    f"  CTX={text[max(0, ctx_s - 80):ctx_e + 40][:500]!r}")
        for i, a in enumerate(ga):
            if i not in used_g:
                cue = text[slice(*a["cue"])].lower().strip()
                # is there a pred with overlapping cue (partial match)?
                near = [p for p in pa if ov(p["cue"], a["cue"])]
                why = "missed"
                if near:
                    p = near[0]
                    why = "cue found, " + ("content disjoint" if not ov(p["content"], a["content"])
                                           else "source disjoint")
                    note(f"partial/{why}", f"{name}\n GOLD\n{show(a)}\n PRED\n{show(p)}")
                else:
                    note(f"missed/{cue}", f"{name}\n{show(a)}")
                    counts["missed(total)"] += 1
        for j, p in enumerate(pa):
            if j not in used_p:
                if not any(ov(a["cue"], p["cue"]) for a in ga):
                    note(f"spurious/{p.get('cue_lemma')}", f"{name}\n{show(p)}")
                    counts["spurious(total)"] += 1
        for i, j in pairs:
            a, p = ga[i], pa[j]
            for role in ("content", "cue", "source"):
                gs, ps = a.get(role), p.get(role)
                if gs is None or ps is None or tuple(gs) == tuple(ps):
                    if role == "source" and (gs is None) != (ps is None):
                        note(f"source/{'gold null' if gs is None else 'pred null'}",
                             f"{name}\n GOLD\n{show(a)}\n PRED\n{show(p)}")
                    continue
                counts[f"{role}(total wrong)"] += 1
                if gs[0] != ps[0]:
                    note(f"{role}/{_edge_kind(text, gs[0], ps[0], 'start')}",
                         f"{name}\n GOLD\n{show(a)}\n PRED\n{show(p)}")
                if gs[1] != ps[1]:
                    note(f"{role}/{_edge_kind(text, gs[1], ps[1], 'end')}",
                         f"{name}\n GOLD\n{show(a)}\n PRED\n{show(p)}")
    if args.show:
        shown = 0
        for kind, items in sorted(examples.items(), key=lambda kv: -len(kv[1])):
            if kind.startswith(args.show):
                for item in items[: args.n - shown]:
                    print(f"[{kind}] {item}\n")
                    shown += 1
                if shown >= args.n:
                    break
        return 0
    groups: dict[str, Counter] = {}
    for kind, n in counts.items():
        groups.setdefault(kind.split("/")[0], Counter())[kind] = n
    for group, c in groups.items():
        print(f"## {group}: {sum(c.values())}")
        for kind, n in c.most_common(args.top):
            print(f"  {n:5d}  {kind}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
