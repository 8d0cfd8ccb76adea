"""Every figure in a report's key findings, recomputed from what the CLI prints as JSON.

For each of the six pairs of sample editions the report is rendered, its findings are read back
from the HTML, and each sentence is rebuilt here, independently of the report's own data, from
`align --format json` (paragraph, section and chapter level), `scan --format json` and
`keyness --by category --format json`. The sentences must be equal to the letter.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLE_IDS
from test_cli import ok

from wtcompare.fileio import tomllib

LEXICON = Path(__file__).resolve().parent.parent / "wtcompare" / "data" / "lexicon.toml"
PAIRS = list(itertools.combinations(SAMPLE_IDS, 2))


def strict(text: str):
    def refuse(constant):
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def rendered_findings(run, a: str, b: str) -> list[str]:
    ok(run("report", a, b, "-o", "r.html", "--date", "2026-01-01"))
    page = Path("r.html").read_text(encoding="utf-8")
    block = re.search(r'<section id="findings".*?<ol>(.*?)</ol>', page, re.S).group(1)
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", block, re.S)]


def plural(count: int, noun: str, nouns: str = "") -> str:
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def sections_phrase(count, words, shared, side, other, removed):
    if count == 0:
        return "no section was removed" if removed else "no section is new"
    one = count == 1
    head = f"{plural(count, 'section')} of {side}"
    if shared == 0:
        state = ("was" if one else "were") + " removed whole" if removed else ("is" if one else "are") + " new"
        return f"{head} {state} ({words:,} words)"
    their = "its" if one else "their"
    detail = (
        f"{shared:,} of {their} {words:,} words kept elsewhere"
        if removed
        else f"{words - shared:,} of {their} {words:,} words are new"
    )
    return f"{head} {'has' if one else 'have'} no counterpart in {other} ({detail})"


def expected_findings(run, a: str, b: str) -> list[str]:
    """The findings, built from the CLI's JSON outputs only."""

    def align(level):
        return strict(ok(run("align", a, b, "--level", level, "--format", "json")).stdout)

    paragraphs, sections, chapters = align("paragraph"), align("section"), align("chapter")
    scanned = strict(ok(run("scan", a, b, "--format", "json")).stdout)
    occurrences = strict(ok(run("scan", a, b, "--kwic", "--format", "json")).stdout)["kwic"]
    keyness = strict(ok(run("keyness", a, b, "--by", "category", "--format", "json")).stdout)["keyness"]
    labels = {c["id"]: c["label"] for c in tomllib.loads(LEXICON.read_text(encoding="utf-8"))["category"]}

    # length: the scan's tokens (headings and footnotes included); the units of the alignment add up
    # to the tokens of the paragraph text, which the scan counts when headings and footnotes are left out
    tokens = {r["edition"]: r["tokens"] for r in scanned["rows"]}
    words_a, words_b = tokens[a], tokens[b]
    text_only = strict(ok(run("scan", a, b, "--no-headings", "--no-footnotes", "--format", "json")).stdout)
    paragraph_tokens = {r["edition"]: r["tokens"] for r in text_only["rows"]}
    assert paragraph_tokens[a] == sum(u["words"] for p in chapters["pairs"] for u in p["a_units"]) < words_a
    assert paragraph_tokens[b] == sum(u["words"] for p in chapters["pairs"] for u in p["b_units"]) < words_b
    change = (words_b - words_a) / words_a
    found = [
        f"{b} is {abs(change):.0%} {'longer' if change >= 0 else 'shorter'} than {a} "
        f"({words_a:,} words to {words_b:,})."
    ]

    # words kept: paragraph pairs; sections without a counterpart: section pairs and retention
    kept_words = sum(p["retained"] for p in paragraphs["pairs"])
    paragraph_words = sum(u["words"] for p in paragraphs["pairs"] for u in p["a_units"])
    assert paragraph_words == paragraph_tokens[a]
    kept = kept_words / paragraph_words
    retention = {(r["side"], r["unit"]): r for r in sections["retention"]}
    gone = [retention[("a", p["a_units"][0]["id"])] for p in sections["pairs"] if p["kind"] == "deleted"]
    new = [retention[("b", p["b_units"][0]["id"])] for p in sections["pairs"] if p["kind"] == "inserted"]
    removed = sections_phrase(len(gone), sum(r["words"] for r in gone), sum(r["shared"] for r in gone), a, b, True)
    added = sections_phrase(len(new), sum(r["words"] for r in new), sum(r["shared"] for r in new), b, a, False)
    found.append(
        f"{kept:.0%} of the words in the paragraphs of {a} ({kept_words:,} of {paragraph_words:,}) are kept "
        f"in {b}; {removed}, and {added}."
    )

    # chapters without a counterpart: how many of their words the chapter retention finds in B, and where
    order_b = [r["unit"] for r in chapters["retention"] if r["side"] == "b"]
    described = []
    lost = [p["a_units"][0] for p in chapters["pairs"] if p["kind"] == "deleted"]
    for unit in lost:
        row = next(r for r in chapters["retention"] if r["side"] == "a" and r["unit"] == unit["id"])
        heading = f"\u201c{unit['heading']}\u201d"
        if row["shared"] == 0:
            assert row["links"] == ""
            described.append(f"{heading} was removed whole ({row['words']:,} words)")
        else:
            places = sorted((link.rsplit(" (", 1)[0] for link in row["links"].split("; ")), key=order_b.index)
            how = "mostly removed" if row["shared"] < row["words"] / 2 else "broken up"
            described.append(
                f"{heading} was {how} ({row['shared']:,} of {row['words']:,} words kept, in {listed(places)} of {b})"
            )
    if lost:
        more = f"; and {len(lost) - 3} more" if len(lost) > 3 else ""
        found.append(
            f"{plural(len(lost), 'chapter')} of {a} {'has' if len(lost) == 1 else 'have'} no counterpart "
            f"in {b}: " + "; ".join(described[:3]) + more + "."
        )

    # restructuring: section pairs
    moved = sum(p["kind"] == "moved" for p in sections["pairs"])
    parts = [f"{plural(moved, 'section')} moved"] if moved else []
    for kind in ("split", "merged"):
        group = [p for p in sections["pairs"] if p["kind"] == kind]
        if group:
            parts.append(
                f"{plural(sum(len(p['a_units']) for p in group), 'section')} {kind} into "
                f"{sum(len(p['b_units']) for p in group):,}"
            )
    if parts:
        found.append("Restructuring: " + "; ".join(parts) + ".")

    # vocabulary: the category table; significant only after Holm's correction
    tested = [r for r in keyness if r["p_holm"] is not None]
    significant = sorted((r for r in tested if r["p_holm"] < 0.05), key=lambda r: (-abs(r["log_ratio"]), r["category"]))
    for r in significant[:2]:
        p = "p < 0.001" if r["p_holm"] < 0.001 else f"p = {r['p_holm']:.3f}"
        # the counted occurrences read by a fallback rule, in the scan's occurrences
        doubtful = [
            sum(k["edition"] == e and k["category"] == r["category"] and k["uncertain"] for k in occurrences)
            for e in (a, b)
        ]
        unsure = (
            f", of which {doubtful[0]:,} and {doubtful[1]:,} were counted by a fallback rule: see the uncertain "
            "occurrences under Methods"
            if any(doubtful)
            else ""
        )
        found.append(
            f"{labels[r['category']]} {'rose' if r['per_10k_b'] > r['per_10k_a'] else 'fell'} from "
            f"{r['per_10k_a']:.1f} to {r['per_10k_b']:.1f} per 10,000 words ({r['count_a']:,} to "
            f"{r['count_b']:,} occurrences{unsure}), a significant change: log ratio {r['log_ratio']:+.2f} "
            f"(95% CI {r['log_ratio_low']:+.2f} "
            f"to {r['log_ratio_high']:+.2f}), log-likelihood {r['g2']:.1f}, Holm-adjusted {p}."
        )
    if len(significant) > 2:
        rest = [labels[r["category"]] for r in significant[2:]]
        found[-1] += (
            f" {plural(len(rest), 'other category', 'other categories')} also changed significantly "
            f"({', '.join(rest)}); these two have the largest log ratios, and the vocabulary table gives "
            "every category."
        )
    if not significant and len(found) < 6:
        found.append(
            "No lexicon category changed by more than chance would explain: Holm-adjusted p is 0.05 or "
            f"more for each of the {plural(len(tested), 'category', 'categories')} tested."
        )
    return found[:6]


@pytest.mark.parametrize("a, b", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_every_figure_in_the_findings_comes_from_the_json_outputs(run, a, b):
    findings = rendered_findings(run, a, b)
    assert 3 <= len(findings) <= 6
    assert findings == expected_findings(run, a, b)


def test_a_chapter_with_surviving_words_is_not_called_removed_whole(run):
    """The case that was wrong: chapter 6 of 2002 keeps 110 of its 395 words in 2021 (59 in
    ch3, 51 in ch2), as `align --level chapter --retention` shows."""
    findings = rendered_findings(run, "sample-2002", "sample-2021")
    chapters = next(f for f in findings if "no counterpart" in f and "chapters" in f)
    assert (
        "\u201cRelationships and supervision\u201d was mostly removed (110 of 395 words kept, in ch2 and ch3 "
        "of sample-2021)"
    ) in chapters
    assert "\u201cLearning from practice\u201d was removed whole (219 words)" in chapters
    retention = strict(
        ok(
            run("align", "sample-2002", "sample-2021", "--level", "chapter", "--table", "retention", "--format", "json")
        ).stdout
    )["retention"]
    ch6 = next(r for r in retention if r["side"] == "a" and r["unit"] == "ch6")
    assert (ch6["words"], ch6["shared"], ch6["links"]) == (395, 110, "ch3 (59); ch2 (51)")
    # the report's tables say the same: the chapter table and where each chapter's words went
    page = Path("r.html").read_text(encoding="utf-8")
    assert (
        "no counterpart</span></td><td>110 words kept in other chapters of sample-2021: ch3 (59); ch2 (51)</td>"
        '<td class="num">0.00</td><td class="num">0</td><td class="num">110</td>'
    ) in page
    assert (
        '<td><code>ch6</code> Relationships and supervision</td><td class="num">395</td><td class="num">27.8%</td>'
        '<td class="num">110</td><td>ch3 (59); ch2 (51)</td>'
    ) in page
    # and so does the timeline's table of chapters from edition to edition
    ok(run("timeline", "sample-2002", "sample-2021", "-o", "t.html", "--date", "2026-01-01"))
    assert (
        "no counterpart</span></td><td>110 words kept in other chapters of sample-2021: ch3 (59); ch2 (51)</td>"
        '<td class="num">0</td><td class="num">110</td>' in Path("t.html").read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("a, b", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_every_word_total_of_the_structure_map_is_the_sum_of_its_chapters(run, a, b):
    """The map's headings state each edition's words of paragraph text: the chapters' words in the
    JSON of `align --level chapter` add up to them (the lengths, with headings and footnotes, are
    the larger token counts of the summary table, and the page says which is which)."""
    ok(run("report", a, b, "-o", "r.html", "--date", "2026-01-01"))
    page = html.unescape(Path("r.html").read_text(encoding="utf-8"))
    chapters = strict(ok(run("align", a, b, "--level", "chapter", "--format", "json")).stdout)
    for side, edition in (("a", a), ("b", b)):
        total = sum(u["words"] for p in chapters["pairs"] for u in p[f"{side}_units"])
        assert f">{edition} ({total:,} words of paragraph text)<" in page
        assert f"{total:,} in {edition}" in page
    tokens = {r["edition"]: r["tokens"] for r in strict(ok(run("scan", a, b, "--format", "json")).stdout)["rows"]}
    assert f"({tokens[a]:,} words to {tokens[b]:,})" in page
