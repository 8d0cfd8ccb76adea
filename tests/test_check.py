"""`wtcompare check`: verdicts on claims about the sample corpus, each compared with a computation made
here from the CLI's own scan, keyness and align JSON (never through wtcompare.check); the evidence a
verdict must carry; exit codes; one-line errors for invalid claims files; the table, JSON and HTML
outputs; the bundled claims; and the HTML page in a real browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browsing import ARTIFACTS, Watched
from test_cli import ok, one_line_error

import wtcompare
from wtcompare import __version__
from wtcompare.fileio import sha256_file, tomllib
from wtcompare.lexicon import load_lexicon
from wtcompare.registry import Registry, bundled_texts_dir

HOLDS, FAILS, UNCHECKED = "holds", "does not hold", "cannot check"

# Every expect, both verdicts of each (the test below checks that the computation agrees), and
# every way a claim cannot be checked.
CLAIMS = """
[[claim]]
id = "absent-category-holds"
statement = "The 2021 edition does not speak of partnership with families"
source = "A test (2026)"
edition = "sample-2021"
category = "partnership_with_families"
expect = "absent"

[[claim]]
id = "absent-term-holds"
statement = "The 2021 edition never says partner agencies"
edition = "sample-2021"
term = "partner agenc*"
expect = "absent"

[[claim]]
id = "absent-term-fails"
statement = "The 2002 edition never uses the word partnership"
edition = "sample-2002"
term = "partnership*"
expect = "absent"

[[claim]]
id = "absent-category-fails"
statement = "The 2002 edition does not speak of partnership with families"
edition = "sample-2002"
category = "partnership_with_families"
expect = "absent"

[[claim]]
id = "present-term-holds"
statement = "The 2008 edition speaks of partner agencies"
edition = "sample-2008"
term = "partner agenc*"
expect = "present"

[[claim]]
id = "present-category-bounds-holds"
statement = "The 2021 edition speaks of inter-agency partnership at least 5 times"
edition = "sample-2021"
category = "interagency_partnership"
expect = "present"
at_least = 5
at_most = 500

[[claim]]
id = "present-category-fails"
statement = "The 2021 edition speaks of partnership with families"
edition = "sample-2021"
category = "partnership_with_families"
expect = "present"

[[claim]]
id = "present-term-bounds-fails"
statement = "The 2002 edition uses the word partnership at most 5 times"
edition = "sample-2002"
term = "partnership*"
expect = "present"
at_most = 5

[[claim]]
id = "rose-holds"
statement = "Inter-agency partnership rose from 2002 to 2021"
editions = ["sample-2002", "sample-2021"]
category = "interagency_partnership"
expect = "rose"
significant = true

[[claim]]
id = "rose-fails-direction"
statement = "Partnership with families rose from 2002 to 2021"
editions = ["sample-2002", "sample-2021"]
category = "partnership_with_families"
expect = "rose"

[[claim]]
id = "rose-fails-significance"
statement = "Inter-agency partnership rose significantly from 2008 to 2014"
editions = ["sample-2008", "sample-2014"]
category = "interagency_partnership"
expect = "rose"
significant = true

[[claim]]
id = "fell-term-holds"
statement = "Families are named less often in 2021 than in 2008"
editions = ["sample-2008", "sample-2021"]
term = "famil*"
expect = "fell"
significant = true

[[claim]]
id = "fell-holds-without-significance"
statement = "Partnership with families fell from 2014 to 2021"
editions = ["sample-2014", "sample-2021"]
category = "partnership_with_families"
expect = "fell"

[[claim]]
id = "fell-fails-significance"
statement = "Partnership with families fell significantly from 2014 to 2021"
editions = ["sample-2014", "sample-2021"]
category = "partnership_with_families"
expect = "fell"
significant = true

[[claim]]
id = "unchanged-holds"
statement = "Child-centred wording did not change from 2014 to 2021"
editions = ["sample-2014", "sample-2021"]
category = "child_centred"
expect = "unchanged"

[[claim]]
id = "unchanged-fails"
statement = "Inter-agency partnership did not change from 2002 to 2021"
editions = ["sample-2002", "sample-2021"]
category = "interagency_partnership"
expect = "unchanged"

[[claim]]
id = "unchanged-term-neither"
statement = "Nobody wrote of zeppelins in 2002 or 2021"
editions = ["sample-2002", "sample-2021"]
term = "zeppelin*"
expect = "unchanged"

[[claim]]
id = "length-fell-holds"
statement = "The 2014 edition is shorter than the 2008 edition"
editions = ["sample-2008", "sample-2014"]
measure = "words"
expect = "fell"

[[claim]]
id = "length-rose-fails"
statement = "The 2014 edition is longer than the 2008 edition"
editions = ["sample-2008", "sample-2014"]
measure = "words"
expect = "rose"

[[claim]]
id = "length-present-holds"
statement = "The 2008 edition has at least 3,000 words"
edition = "sample-2008"
measure = "words"
expect = "present"
at_least = 3000

[[claim]]
id = "length-present-fails"
statement = "The 2008 edition has at most 2,000 words"
edition = "sample-2008"
measure = "words"
expect = "present"
at_most = 2000

[[claim]]
id = "removed-holds"
statement = "The 2014 edition dropped 'Learning from practice'"
editions = ["sample-2008", "sample-2014"]
chapter = "learning from PRACTICE"
expect = "removed"

[[claim]]
id = "removed-fails"
statement = "The 2014 edition dropped 'Relationships and supervision'"
editions = ["sample-2008", "sample-2014"]
chapter = "Relationships and supervision"
expect = "removed"

[[claim]]
id = "removed-threshold-holds"
statement = "The 2014 edition kept almost nothing of chapter 6"
editions = ["sample-2008", "sample-2014"]
chapter = 6
expect = "removed"
threshold = 0.2

[[claim]]
id = "kept-holds"
statement = "The 2014 edition kept 'Roles and responsibilities'"
editions = ["sample-2008", "sample-2014"]
chapter = "Roles and responsibilities"
expect = "kept"

[[claim]]
id = "kept-fails"
statement = "The 2014 edition kept 'Working in partnership with families'"
editions = ["sample-2008", "sample-2014"]
chapter = "2"
expect = "kept"

[[claim]]
id = "unchecked-no-text"
statement = "The 2015 edition never uses the word partnership"
source = "Holt and Kelly (2018)"
edition = "wt2015"
term = "partnership*"
expect = "absent"

[[claim]]
id = "unchecked-unknown-edition"
statement = "An edition that does not exist"
editions = ["sample-2009", "sample-2014"]
category = "procedural"
expect = "rose"

[[claim]]
id = "unchecked-no-chapter"
statement = "A chapter that was never there"
editions = ["sample-2008", "sample-2014"]
chapter = "Chapter that was never written"
expect = "removed"

[[claim]]
id = "unchecked-no-category"
statement = "A category the lexicon does not have"
edition = "sample-2008"
category = "nonsense_category"
expect = "absent"
"""


def strict(text: str):
    def refuse(constant):
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def cli_json(run, *args) -> dict:
    return strict(ok(run(*args, "--format", "json")).stdout)


def pick(*ids: str) -> str:
    """The claims of CLAIMS with these ids, in this order, as the text of a claims file."""
    blocks = {block.split('"')[1]: "[[claim]]" + block for block in CLAIMS.split("[[claim]]")[1:]}
    return "".join(blocks[claim_id] for claim_id in ids)


def claims_file(text: str = CLAIMS, name: str = "claims.toml") -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def checked(run, *args) -> tuple[int, dict]:
    result = run("check", *args, "--format", "json")
    assert result.exit_code in (0, 1, 3), result.stderr
    assert result.stderr == ""  # a verdict is not an error
    return result.exit_code, strict(result.stdout)


# The independent computation: from `scan`, `keyness` and `align` JSON, as a reader would.


def count_of(rows: list[dict], claim: dict) -> int:
    if "term" in claim:
        return next(r["count"] for r in rows if r["category"] == "adhoc" and r["term"] == claim["term"])
    return sum(r["count"] for r in rows if r["category"] == claim["category"])


def expected_verdict(run, claim: dict) -> str:
    editions = [claim["edition"]] if "edition" in claim else claim["editions"]
    for edition in editions:  # an edition that cannot be read cannot be checked
        if run("sections", edition, "--format", "csv").exit_code != 0:
            return UNCHECKED
    if "category" in claim and claim["category"] not in {c.id for c in load_lexicon().categories}:
        return UNCHECKED
    expect = claim["expect"]
    if "chapter" in claim:
        retention = cli_json(run, "align", *editions, "--level", "chapter", "--retention")["retention"]
        wanted = str(claim["chapter"]).lower()
        rows = [
            r for r in retention if r["side"] == "a" and (r["heading"].lower() == wanted or r["unit"] == f"ch{wanted}")
        ]
        if len(rows) != 1:
            return UNCHECKED
        share = rows[0]["shared"] / rows[0]["words"]
        threshold = claim.get("threshold", {"removed": 0.1, "kept": 0.5}[expect])
        return HOLDS if (share <= threshold if expect == "removed" else share >= threshold) else FAILS
    terms = ["--term", claim["term"]] if "term" in claim else []
    if len(editions) == 1:
        rows = cli_json(run, "scan", editions[0], *terms)["rows"]
        count = rows[0]["tokens"] if "measure" in claim else count_of(rows, claim)
        if expect == "absent":
            return HOLDS if count == 0 else FAILS
        low, high = max(1, claim.get("at_least", 0)), claim.get("at_most", float("inf"))
        return HOLDS if low <= count <= high else FAILS
    if "measure" in claim:
        before, after = (cli_json(run, "scan", e)["rows"][0]["tokens"] for e in editions)
        moved = {"rose": after > before, "fell": after < before, "unchanged": after == before}
        return HOLDS if moved[expect] else FAILS
    by = ["--term", claim["term"]] if "term" in claim else ["--by", "category"]
    table = cli_json(run, "keyness", *editions, *by)["keyness"]
    row = next(
        r
        for r in table
        if (
            r.get("term") == claim["term"] and r["category"] == "adhoc"
            if "term" in claim
            else r["category"] == claim["category"]
        )
    )
    significant = row["p_holm"] is not None and row["p_holm"] < 0.05
    if expect == "unchanged":
        return FAILS if significant else HOLDS
    direction = row["per_10k_b"] > row["per_10k_a"] if expect == "rose" else row["per_10k_b"] < row["per_10k_a"]
    return HOLDS if direction and (significant or not claim.get("significant")) else FAILS


def test_every_verdict_equals_the_independent_computation(run):
    claims = tomllib.loads(CLAIMS)["claim"]
    expected = {c["id"]: expected_verdict(run, c) for c in claims}
    code, data = checked(run, str(claims_file()))
    assert {c["id"]: c["verdict"] for c in data["claims"]} == expected
    # the file covers both verdicts of every expect, and cannot check
    for expect in ("absent", "present", "rose", "fell", "unchanged", "removed", "kept"):
        assert {expected[c["id"]] for c in claims if c["expect"] == expect} >= {HOLDS, FAILS}, expect
    assert UNCHECKED in expected.values() and code == 1
    for claim in data["claims"]:
        assert (
            claim["reason"]
            and claim["statement"]
            and set(claim) >= {"id", "statement", "source", "verdict", "reason", "evidence"}
        )


def test_evidence_of_counts_rates_and_tests_equals_scan_and_keyness(run):
    _, data = checked(run, str(claims_file()))
    by_id = {c["id"]: c for c in data["claims"]}
    # rose/fell: both rates, log-likelihood, corrected p and the log ratio with its interval, from the
    # category table, or the term table holding the claim's term
    for claim_id, args, key in (
        ("rose-holds", ["sample-2002", "sample-2021", "--by", "category"], {"category": "interagency_partnership"}),
        (
            "fell-term-holds",
            ["sample-2008", "sample-2021", "--term", "famil*"],
            {"category": "adhoc", "term": "famil*"},
        ),
    ):
        evidence = by_id[claim_id]["evidence"]
        table = cli_json(run, "keyness", *args)["keyness"]
        row = next(r for r in table if all(r[k] == v for k, v in key.items()))
        for key in ("g2", "p", "p_holm", "log_ratio", "log_ratio_low", "log_ratio_high"):
            assert evidence["keyness"][key] == pytest.approx(row[key])
        assert [(c["count"], c["tokens"]) for c in evidence["counts"]] == [
            (row["count_a"], row["tokens_a"]),
            (row["count_b"], row["tokens_b"]),
        ]
        assert [c["per_10k"] for c in evidence["counts"]] == pytest.approx([row["per_10k_a"], row["per_10k_b"]])
        family = evidence["keyness"]["holm_family"]
        assert family["tests"] == sum(r["p"] is not None for r in table)
        assert family["command"] == "wtcompare keyness " + " ".join(a if a != "famil*" else "'famil*'" for a in args)
        assert f"Holm family: the {family['tests']} " in by_id[claim_id]["reason"]
    # a chapter: the retention row, where its words went
    chapter = by_id["removed-fails"]["evidence"]["chapter"]
    retention = cli_json(run, "align", "sample-2008", "sample-2014", "--level", "chapter", "--retention")["retention"]
    row = next(r for r in retention if r["side"] == "a" and r["unit"] == chapter["id"])
    assert (chapter["words"], chapter["shared"], chapter["links"]) == (row["words"], row["shared"], row["links"])
    assert chapter["share"] == pytest.approx(row["share"]) and row["heading"] == "Relationships and supervision"
    # a length is the token count that every rate divides by
    words = by_id["length-fell-holds"]["evidence"]["counts"]
    assert [w["words"] for w in words] == [
        cli_json(run, "scan", e)["rows"][0]["tokens"] for e in ("sample-2008", "sample-2014")
    ]


def test_present_lists_every_occurrence_and_absent_of_a_category_every_set_aside_one(run):
    _, data = checked(run, str(claims_file()))
    claims = {c["id"]: c for c in tomllib.loads(CLAIMS)["claim"]}
    seen = {"present": 0, "absent-category": 0}
    for result in data["claims"]:
        claim, evidence = claims[result["id"]], result["evidence"]
        if result["verdict"] == UNCHECKED or "measure" in claim or claim["expect"] not in ("absent", "present"):
            continue
        terms = ["--term", claim["term"]] if "term" in claim else []
        kwic = cli_json(run, "scan", claim["edition"], *terms, "--kwic", "--excluded")["kwic"]
        mine = [
            k
            for k in kwic
            if (
                k["category"] == "adhoc" and k["term"] == claim["term"]
                if "term" in claim
                else k["category"] == claim["category"]
            )
        ]

        def where(rows):
            return [
                (k["unit"], k["number"], k["page"], k["left"], k["match"], k["right"], k["status"], k["rule"])
                for k in rows
            ]

        assert where(evidence["occurrences"]) == where([k for k in mine if k["status"] == "counted"])
        assert len(evidence["occurrences"]) == evidence["counts"][0]["count"]
        if result["verdict"] == HOLDS and claim["expect"] == "present":
            seen["present"] += 1
        if "category" in claim:
            # the category's own matches that a rule or a longer match set aside, each with its rule
            set_aside = [k for k in mine if k["status"] != "counted"]
            ours = [k for k in evidence["set_aside"] if k["category"] == claim["category"]]
            assert where(ours) == where(set_aside) and all(k["rule"] for k in ours)
            # and every occurrence of "partner*" read in another sense, once, by the match that
            # counted it: checked against a plain count of the word in the edition's text
            others = [k for k in evidence["set_aside"] if k["category"] != claim["category"]]
            # counted in another category, or set aside with its sense (a person)
            assert all(k["sense"] and (k["status"] == "counted" or k["rule"].startswith("sense ")) for k in others), [
                k for k in others if not (k["sense"] and (k["status"] == "counted" or k["rule"].startswith("sense ")))
            ]
            document = Registry(bundled_texts_dir()).load(claim["edition"])
            texts = [s.heading for s in document.walk() if not s.id.startswith("front")]
            texts += [t for p in document.paragraphs() for t in (p.text, *p.footnotes)]
            partner = re.compile(r"\bpartner\w*", re.I)
            in_category = [k for k in mine if k["status"] == "counted" and partner.search(k["match"])]
            assert sum(len(partner.findall(t)) for t in texts) == len(in_category) + sum(
                len(partner.findall(k["match"])) for k in others
            )
            if claim["expect"] == "absent" and result["verdict"] == HOLDS:
                seen["absent-category"] += 1
                listed = len(evidence["set_aside"])
                assert (
                    others
                    and f"; {listed} occurrences of its words were read in another sense or set aside"
                    in result["reason"]
                )
    assert seen == {"present": 2, "absent-category": 1}


def test_uncertain_occurrences_are_listed_when_the_scan_marks_them(run):
    """Every occurrence of the claim's category whose sense the scan marks uncertain (counted or set
    aside) is listed, as `scan --kwic --excluded` marks it, and the reason says how many."""
    _, data = checked(run, str(claims_file()))
    by_id = {c["id"]: c for c in data["claims"]}
    evidence = by_id["absent-category-holds"]["evidence"]
    kwic = cli_json(run, "scan", "sample-2021", "--kwic", "--excluded")["kwic"]
    flagged = [
        (k["unit"], k["left"], k["match"])
        for k in kwic
        if k["uncertain"] and k["category"] == "partnership_with_families"
    ]
    assert [(u["unit"], u["left"], u["match"]) for u in evidence["uncertain"]] == flagged
    assert flagged and all(u["uncertain"] and u["sense"] for u in evidence["uncertain"])
    assert (
        f"{len(flagged)} occurrence{'s' if len(flagged) != 1 else ''} of an uncertain sense"
        in by_id["absent-category-holds"]["reason"]
    )
    assert all("sense" in k for k in evidence["set_aside"])
    assert all(c["evidence"]["uncertain"] is not None for c in data["claims"] if "occurrences" in c["evidence"])


@pytest.mark.parametrize(
    "claims, code",
    [
        ([("absent-category-holds", HOLDS), ("present-term-holds", HOLDS)], 0),
        ([("absent-category-holds", HOLDS), ("absent-term-fails", FAILS), ("unchecked-no-text", UNCHECKED)], 1),
        ([("absent-category-holds", HOLDS), ("unchecked-no-text", UNCHECKED)], 3),
        ([("unchecked-no-chapter", UNCHECKED)], 3),
    ],
)
def test_exit_codes(run, claims, code):
    path = claims_file(pick(*(claim_id for claim_id, _ in claims)))
    for fmt in ("table", "json", "html"):
        result = run("check", str(path), "--format", fmt, *(["-o", "page.html"] if fmt == "html" else []))
        assert result.exit_code == code and result.stderr == "", (fmt, result.stderr)
    assert [
        (c["id"], c["verdict"]) for c in strict(run("check", str(path), "--format", "json").stdout)["claims"]
    ] == claims


GOOD = '[[claim]]\nid = "a"\nstatement = "s"\nedition = "sample-2021"\nterm = "partner*"\nexpect = "present"\n'


@pytest.mark.parametrize(
    "text, line, message",
    [
        (
            GOOD.replace('expect = "present"', 'expect = "vanished"'),
            6,
            "expect 'vanished' is not one of absent, present",
        ),
        (GOOD.replace('id = "a"\n', ""), 1, "missing 'id'"),
        (GOOD.replace('statement = "s"\n', ""), 1, "missing 'statement'"),
        (GOOD + "\n" + GOOD, 9, "claim id 'a' is used twice (first at claims.toml:2)"),
        (GOOD.replace('id = "a"', "id = 7"), 2, "'id' must be a non-empty string"),
        (GOOD + 'at_least = "five"\n', 7, "'at_least' must be a whole number"),
        (GOOD + "at_most = true\n", 7, "'at_most' must be a whole number"),
        (GOOD.replace('edition = "sample-2021"', 'editions = "sample-2021"'), 4, "a list of two edition ids"),
        (GOOD.replace('edition = "sample-2021"', 'editions = ["sample-2021", "sample-2021"]'), 4, "twice"),
        (GOOD + 'editions = ["sample-2008", "sample-2021"]\n', 1, "either edition"),
        (GOOD + 'category = "procedural"\n', 7, "give only one of term, category, measure, chapter"),
        (GOOD.replace('term = "partner*"\n', ""), 1, "say what is counted: one of term, category, measure, chapter"),
        (GOOD.replace('term = "partner*"', 'term = "(a|"'), 5, "term '(a|'"),
        (GOOD.replace('expect = "present"', 'expect = "rose"'), 6, "compares two editions"),
        (GOOD.replace('expect = "present"', 'expect = "removed"'), 6, "is about a chapter"),
        (GOOD.replace('term = "partner*"', "chapter = 3"), 5, "a chapter claim compares two editions"),
        (GOOD.replace('term = "partner*"', 'measure = "pages"'), 5, "measure 'pages' is not one of words"),
        (GOOD + "at_most = 0\n", 7, 'to claim none, use expect = "absent"'),
        (GOOD + "significant = true\n", 7, 'significant goes with expect = "rose" or "fell"'),
        (GOOD + "threshold = 0.3\n", 7, 'threshold goes with expect = "removed" or "kept"'),
        (GOOD + 'significant = "yes"\n', 7, "'significant' must be true or false"),
        (GOOD.replace('id = "a"', 'id = "a'), 2, "invalid TOML"),
        ('title = "no claims here"\n', 1, "no claims"),
        ('title = "t"\nclaim = "x"\n', 2, "'claim' must be an array of tables"),
        ('title = "t"\nclaim = [{ id = "a" }]\n', 2, "claim 'a': missing 'statement'"),
        (GOOD + "at_lest = 3\n", 7, "unknown field 'at_lest'; did you mean 'at_least'?"),
        # found by a fuzzing run, each an internal error before
        ("x = " + "[" * 3000 + "]" * 3000 + "\n" + GOOD, "", "nested too deep to read"),
        (GOOD + "n = " + "1" * 5000 + "\n", "", "an integer too long to read"),
        (GOOD.replace('term = "partner*"', 'term = "\\u0000"'), "5:", "bad word"),
    ],
)
def test_invalid_claims_files_are_one_line_usage_errors(run, text, line, message):
    assert run("check", str(claims_file(GOOD))).exit_code == 0  # the valid file each case breaks
    assert run("check", str(claims_file(GOOD + 'quoted_pages = "8-9"\n'))).exit_code == 0  # fields of one's own
    error = one_line_error(run("check", str(claims_file(text))), 2, message)
    assert error.startswith(
        f"wtcompare: error: claims.toml:{line}: " if isinstance(line, int) else f"wtcompare: error: claims.toml:{line}"
    )


def test_claims_file_missing_or_a_folder_or_neither_or_both(run):
    one_line_error(run("check", "nowhere.toml"), 2, "nowhere.toml: no such file")
    Path("folder").mkdir()
    one_line_error(run("check", "folder"), 2, "folder: is a directory")
    one_line_error(run("check"), 2, "a claims file or --bundled")
    one_line_error(run("check", str(claims_file(GOOD)), "--bundled"), 2, "a claims file or --bundled")
    one_line_error(run("check", "--bundled", "--date", "2026-01-01"), 2, "--date dates the html page")
    one_line_error(run("check", "--bundled", "--format", "json", "-o", "folder/"), 2, "give a file")


def test_a_chapter_without_text_cannot_be_checked(run, tmp_path):
    """A share of no words would make 'removed' hold of nothing: such a chapter cannot be checked."""
    texts = tmp_path / "texts"
    closing = "Chapter 3: End\n\n3.1 Closing\n\n2. More words about partnership with parents.\n"
    for edition, middle in (
        ("two-a", "Chapter 2: Empty\n\n" + closing),
        ("two-b", closing.replace("3", "2").replace("2. More", "3. More")),
    ):
        source = tmp_path / f"{edition}.txt"
        source.write_text("Chapter 1: Start\n\n1.1 Intro\n\n1. Some words about families.\n\n" + middle)
        ok(run("--texts", str(texts), "ingest", str(source), "--edition", edition))
    retention = cli_json(run, "--texts", str(texts), "align", "two-a", "two-b", "--level", "chapter", "--retention")[
        "retention"
    ]
    assert [(r["heading"], r["words"]) for r in retention if r["side"] == "a"][1] == ("Empty", 0)
    claim = '[[claim]]\nid = "x"\nstatement = "s"\neditions = ["two-a", "two-b"]\nchapter = "Empty"\nexpect = "{}"\n'
    for expect in ("removed", "kept"):
        shown = run("--texts", str(texts), "check", str(claims_file(claim.format(expect))), "--format", "json")
        assert shown.exit_code == 3 and shown.stderr == ""
        (result,) = strict(shown.stdout)["claims"]
        assert result["verdict"] == UNCHECKED and "has no text of its own" in result["reason"]


def test_table_output_exactly(run):
    path = claims_file(pick("absent-category-holds", "absent-term-fails", "removed-holds", "unchecked-no-text"))
    result = run("check", str(path))
    assert result.exit_code == 1 and result.stderr == ""
    lexicon = load_lexicon()
    registry = Registry(bundled_texts_dir())
    shas = "; ".join(
        f"{e} sha256 {registry.get(e).sha256}" for e in ("sample-2002", "sample-2008", "sample-2014", "sample-2021")
    )
    options = json.dumps(
        {
            "claims": {"file": "claims.toml", "sha256": sha256_file(path)},
            "counted": {"footnotes": True, "headings": True},
        },
        sort_keys=True,
    )
    assert (
        result.stdout
        == f"""\
claims.toml: 4 claims: 2 hold, 1 does not hold, 1 cannot be checked
fictional sample: sample-2002, sample-2008, sample-2014, sample-2021 are invented text, not statutory guidance

id                     verdict        reason
---------------------  -------------  ------------------------------------------------------------------------------
absent-category-holds  holds          the category 'Partnership with families' (partnership_with_families): 0
                                      occurrences in sample-2021 (3,478 words); 42 occurrences of its words were
                                      read in another sense or set aside by a rule or a longer match, each listed
                                      with its sense or rule; 1 occurrence of an uncertain sense (0 counted, 1 set
                                      aside), listed for checking
absent-term-fails      does not hold  the term 'partnership*': 21 occurrences in sample-2002 (3,088 words; 68.0 per
                                      10,000)
removed-holds          holds          chapter ch7 'Learning from practice' of sample-2008: 0 of its 309 words (0.0%)
                                      are found in sample-2014; removed means at most 10.0%
unchecked-no-text      cannot check   edition 'wt2015' has no local text; add your copy with 'wtcompare ingest FILE
                                      --edition wt2015'

provenance: wtcompare {__version__}; lexicon {lexicon.id} {lexicon.version} sha256 {lexicon.sha256}; \
{shas}; options {options}
"""
    )
    # -o FILE writes exactly what is printed, and prints the path
    written = run("check", str(path), "-o", "verdicts.txt")
    assert written.exit_code == 1 and written.stdout == "verdicts.txt\n"
    assert Path("verdicts.txt").read_text(encoding="utf-8") == result.stdout


def test_json_is_strict_with_provenance_and_written_with_o(run):
    path = claims_file()
    result = run("check", str(path), "--format", "json", "-o", "verdicts.json")
    assert result.exit_code == 1 and result.stdout == "verdicts.json\n"
    data = strict(Path("verdicts.json").read_text(encoding="utf-8"))
    assert set(data) == {"claims", "provenance"}
    provenance = data["provenance"]
    assert provenance["command"] == "check" and provenance["wtcompare"] == __version__
    assert provenance["options"]["claims"] == {"file": "claims.toml", "sha256": sha256_file(path)}
    assert [t["edition"] for t in provenance["texts"]] == ["sample-2002", "sample-2008", "sample-2014", "sample-2021"]
    assert provenance["lexicon"]["id"] == "wtcompare-default"
    first = data["claims"][0]
    assert (first["id"], first["source"], first["line"]) == ("absent-category-holds", "A test (2026)", 2)


def test_links_point_into_the_pair_report_only_when_it_shows_these_texts(run):
    path = claims_file()
    _, data = checked(run, str(path))
    occurrence = next(c for c in data["claims"] if c["id"] == "absent-term-fails")["evidence"]["occurrences"][0]
    assert occurrence["link"] is None and occurrence["unit"] and "page" in occurrence  # no report: id and page
    ok(run("report", "sample-2002", "sample-2008", "--date", "2026-01-01"))
    _, data = checked(run, str(path))
    evidence = next(c for c in data["claims"] if c["id"] == "absent-term-fails")["evidence"]
    assert evidence["report"] == "reports/sample-2002-vs-sample-2008.html"
    report = Path(evidence["report"]).read_text(encoding="utf-8")
    for occurrence in evidence["occurrences"]:
        anchor = occurrence["anchor"]
        assert occurrence["link"] == f"reports/sample-2002-vs-sample-2008.html#{anchor}" and f'id="{anchor}"' in report
    # the HTML page links relative to where it is written
    page = Path("out/page.html")
    assert run("check", str(path), "--format", "html", "-o", str(page)).exit_code == 1
    assert (
        f'href="../reports/sample-2002-vs-sample-2008.html#{evidence["occurrences"][0]["anchor"]}"'
        in page.read_text(encoding="utf-8")
    )
    # a report built from another copy of the edition is not linked: its anchors may not match
    sha256 = Registry(bundled_texts_dir()).get("sample-2002").sha256
    Path(evidence["report"]).write_text(report.replace(sha256, "0" * 64), encoding="utf-8")
    _, data = checked(run, str(path))
    evidence = next(c for c in data["claims"] if c["id"] == "absent-term-fails")["evidence"]
    assert evidence["report"] is None and all(o["link"] is None for o in evidence["occurrences"])


def test_html_page_is_self_contained_deterministic_and_cited(run):
    path = claims_file()
    first = run("check", str(path), "--format", "html", "--date", "2026-01-01")
    assert first.exit_code == 1 and first.stdout == "reports/check.html\n"
    html = Path("reports/check.html").read_bytes()
    assert run("check", str(path), "--format", "html", "--date", "2026-01-01").exit_code == 1
    assert Path("reports/check.html").read_bytes() == html  # byte-identical
    text = html.decode("utf-8")
    # one script, the reports' print helper (it opens what is collapsed before printing), allowed by
    # its hash and nothing else: no network, no other script
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
    assert "default-src 'none'" in policy and re.search(r"script-src &#39;sha256-[A-Za-z0-9+/=]+&#39;;", policy)
    assert text.count("<script") == 1
    assert "http://" not in text and "https://" not in text.replace("https://assets", "")
    assert "Fictional sample: sample-2002, sample-2008, sample-2014, sample-2021" in text
    assert "How to cite this page" in text and "wtcompare " + __version__ + " (2026-01-01)" in text
    assert text.count('<section id="claim-') == len(tomllib.loads(CLAIMS)["claim"])
    Path("mine.html").write_text("<p>mine</p>")
    one_line_error(run("check", str(path), "--format", "html", "-o", "mine.html"), 1, "not a wtcompare report")


def test_a_verdict_is_anchored_by_its_claims_id_whatever_the_order_of_the_file(run):
    """A citation of #claim-<id> keeps pointing at that claim when the file is reordered: the anchor
    is the claim's id (in the JSON too), never its place in the file."""
    odd = (
        '[[claim]]\nid = "a b"\nstatement = "s"\nedition = "sample-2002"\nterm = "x"\nexpect = "absent"\n'
        '[[claim]]\nid = "a~20b"\nstatement = "s"\nedition = "sample-2002"\nterm = "x"\nexpect = "absent"\n'
        '[[claim]]\nid = "<é\\"&>"\nstatement = "s"\nedition = "sample-2002"\nterm = "x"\nexpect = "absent"\n'
    )
    ids = ["absent-term-fails", "present-term-holds"]
    pages = {}
    for order in (ids, ids[::-1]):
        path = claims_file(pick(*order) + odd)
        _, data = checked(run, str(path))
        anchors = {c["id"]: c["anchor"] for c in data["claims"]}
        assert anchors == {
            "absent-term-fails": "claim-absent-term-fails",
            "present-term-holds": "claim-present-term-holds",
            "a b": "claim-a~20b",
            "a~20b": "claim-a~7e20b",  # unique: a ~ of the id is itself written in hex
            '<é"&>': "claim-~3c~c3~a9~22~26~3e",
        }
        assert run("check", str(path), "--format", "html", "--date", "2026-01-01", "-o", "page.html").exit_code == 1
        text = Path("page.html").read_text("utf-8")
        sections = re.findall(r'<section id="(claim-[^"]*)" aria-labelledby="h-\1">', text)
        assert sections == [anchors[i] for i in order] + ["claim-a~20b", "claim-a~7e20b", "claim-~3c~c3~a9~22~26~3e"]
        assert all(f'<a href="#{a}">' in text for a in anchors.values())
        assert f"for example <code>#{anchors[order[0]]}</code> for <code>{order[0]}</code>" in text
        assert "#claim-1" not in text and 'id="claim-1"' not in text
        pages[order[0]] = {a: text.split(f'<section id="{a}"')[1].split("</section>")[0] for a in anchors.values()}
    # each anchor holds the same claim's evidence in either order
    assert pages[ids[0]] == pages[ids[1]]


def test_bundled_claims_cannot_be_checked_without_the_texts_and_say_how_to_get_them(run):
    bundled = tomllib.loads((Path(wtcompare.__file__).parent / "claims" / "literature.toml").read_text("utf-8"))
    code, data = checked(run, "--bundled")
    assert code == 3
    assert [c["id"] for c in data["claims"]] == [c["id"] for c in bundled["claim"]]
    assert all(c["verdict"] == UNCHECKED for c in data["claims"]) and len(data["claims"]) >= 15
    assert all(c["source"] for c in data["claims"])
    assert all("wtcompare ingest FILE --edition" in c["reason"] for c in data["claims"])
    assert any("wtcompare fetch wt2026" in c["reason"] for c in data["claims"])
    sources = {c["source"] for c in data["claims"]}
    assert {"Holt and Kelly (2018)", "Davies (2013)"} <= sources
    chapters = [c for c in data["claims"] if c["id"].startswith("davies-2013-dropped-2010-chapter-")]
    assert sorted(int(c["id"].rsplit("-", 1)[1]) for c in chapters) == [4, 6, 9, 10, 11, 12]


def test_bundled_claims_run_once_an_edition_has_a_text(run, tmp_path):
    """With a text for wt2015 (here a fictional sample standing in for it), its claims get verdicts."""
    texts = tmp_path / "texts"
    source = bundled_texts_dir() / "sample" / "sample-2021.md"
    ok(run("--texts", str(texts), "ingest", str(source), "--edition", "wt2015"))
    result = run("--texts", str(texts), "check", "--bundled", "--format", "json")
    data = strict(result.stdout)
    verdicts = {c["id"]: c["verdict"] for c in data["claims"]}
    assert verdicts["holt-kelly-2018-wt2015-partnership-never-used"] == FAILS  # sample-2021 says partnership
    assert verdicts["holt-kelly-2018-wt2015-no-partnership-with-families"] == HOLDS
    assert verdicts["holt-kelly-2018-wt2013-no-partnership-working"] == UNCHECKED and result.exit_code == 1


def test_check_page_in_a_browser_escapes_hostile_claims_and_requests_nothing(browser, run, tmp_path):
    ok(run("report", "sample-2002", "sample-2008", "--date", "2026-01-01"))
    hostile = """
[[claim]]
id = "<img src=x onerror=window.pwned=1>"
statement = "<script>window.pwned=2; alert(2)</script> the word partnership"
source = "\\" onerror=\\"window.pwned=3"
note = "<a href=\\"javascript:window.pwned=4\\">note</a>"
edition = "sample-2002"
term = "partnership*"
expect = "present"
"""
    path = claims_file(hostile, "claims <b>&amp;.toml")
    result = run("check", str(path), "--format", "html", "--date", "2026-01-01")
    assert result.exit_code == 0, result.stderr
    watched = Watched(browser, Path("reports/check.html").resolve())
    page = watched.page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "check-top.png"))
    assert page.evaluate("() => window.pwned") is None
    body = page.locator("body").inner_text()
    for literal in (
        "<img src=x onerror=window.pwned=1>",
        "<script>window.pwned=2; alert(2)</script>",
        '" onerror="window.pwned=3',
        '<a href="javascript:window.pwned=4">note</a>',
        "claims <b>&amp;.toml",
    ):
        assert literal in body
    assert page.locator("a[href^='javascript:']").count() == 0 and page.locator("img[src=x]").count() == 0
    # an occurrence links into the pair report, at its paragraph
    link = page.locator("[id='claim-~3cimg~20src~3dx~20onerror~3dwindow.pwned~3d1~3e'] table.kwic a").first
    target = link.get_attribute("href")
    assert target.startswith("sample-2002-vs-sample-2008.html#sample-2002-")
    watched.clean()
    link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(target) and page.locator(f"[id='{target.split('#')[1]}']").count() == 1
    assert page.evaluate("() => window.pwned") is None
    page.close()


def test_a_claims_file_that_is_not_utf8_is_a_usage_error(run, tmp_path):
    claims = tmp_path / "claims.toml"
    claims.write_bytes(b'[[claim]]\nid = "caf\xe9"\n')
    one_line_error(run("check", str(claims)), 2, "claims.toml: the claims file is not UTF-8 text")


def test_an_unknown_edition_named_first_cannot_be_checked_and_the_others_are(run):
    """The editions a claims file names are loaded together (`Registry.load_many`, the first two in
    workers): one the registry lacks, named first, is that claim's verdict, not the end of the run."""
    unknown = """
[[claim]]
id = "unknown-first"
statement = "An edition no registry lists"
edition = "no-such-edition"
category = "partnership_with_families"
expect = "absent"
"""
    code, verdicts = checked(run, str(claims_file(unknown + pick("absent-category-holds"))))
    assert code == 3
    assert [(c["id"], c["verdict"]) for c in verdicts["claims"]] == [
        ("unknown-first", UNCHECKED),
        ("absent-category-holds", HOLDS),
    ]
    assert "unknown edition 'no-such-edition'" in verdicts["claims"][0]["reason"]


def test_a_share_at_its_threshold_is_shown_in_the_order_the_verdict_reads_it(run):
    """Chapter 6 of sample-2008 keeps 53 of its 424 words (12.5%) in sample-2014. Judged by 12.5%
    "removed" holds and by 12.49% it does not: the reasons said "12.5% ... at most 12%" for both,
    and the page's "Expected" line "threshold 12.5%" for both. A chapter is also named by its id."""
    claim = (
        '[[claim]]\nid = "{id}"\nstatement = "s"\neditions = ["sample-2008", "sample-2014"]\nchapter = "{chapter}"\n'
    )
    claim += 'expect = "removed"\nthreshold = {threshold}\n'
    text = claim.format(id="at", chapter="ch6", threshold=0.125) + claim.format(
        id="below", chapter="6", threshold=0.1249
    )
    _, shown = checked(run, str(claims_file(text)))
    at, below = shown["claims"]
    assert at["evidence"]["chapter"]["share"] == 53 / 424 == 0.125
    assert at["verdict"] == "holds" and "(12.5%) are found in sample-2014" in at["reason"]
    assert at["reason"].endswith("removed means at most 12.5%")
    assert below["verdict"] == "does not hold" and "(12.50%) are found" in below["reason"]
    assert below["reason"].endswith("removed means at most 12.49%")
    assert run("check", str(claims_file(text)), "--format", "html", "-o", "check.html").exit_code == 1  # one fails
    page = Path("check.html").read_text(encoding="utf-8")
    assert "(threshold 12.5%)" in page and "(threshold 12.49%)" in page


def test_a_change_of_length_too_small_for_one_decimal_still_shows_its_sign():
    from wtcompare.check import _signed_share

    assert [_signed_share(x) for x in (-49 / 156545, 0.0, 0.1234, 3 / 10**7)] == [
        "-0.03%",
        "+0.0%",
        "+12.3%",
        "+0.00003%",
    ]


def test_a_chapter_is_found_by_its_id_among_chapters_of_the_same_number():
    """Five chapters numbered 1 (release notes): "ch1-3" named the third by its id, which the
    "is not a chapter" message lists, yet could not be found, and "ch1" matched all five."""
    from wtcompare.align.model import Unit
    from wtcompare.check import _find_chapter

    units = [Unit(f"ch1-{k}" if k > 1 else "ch1", f"Release {k}", "text", k, "", "1") for k in range(1, 6)]
    assert [u.id for u in _find_chapter(units, "ch1-3")] == ["ch1-3"]
    assert [u.id for u in _find_chapter(units, "ch1")] == ["ch1"]
    assert len(_find_chapter(units, "1")) == 5 and [u.id for u in _find_chapter(units, "Release 4")] == ["ch1-4"]


def test_an_id_that_is_also_other_chapters_heading_is_not_taken_for_one():
    from wtcompare.align.model import Unit
    from wtcompare.check import _find_chapter

    units = [Unit("glossary", "Glossary", "t", 0, "", None), Unit("glossary-2", "Glossary", "t", 1, "", None)]
    assert [u.id for u in _find_chapter(units, "glossary")] == ["glossary", "glossary-2"]
    assert [u.id for u in _find_chapter(units, "glossary-2")] == ["glossary-2"]


def test_a_claims_bounds_are_given_with_its_verdict(run):
    """The page's "Expected" line and the JSON give at_least, at_most and significant as the claim
    does: a claim that fails on its bound ("present" with at_least = 30 of a term found 21 times)
    showed only "present"."""
    claim = (
        '[[claim]]\nid = "bounded"\nstatement = "s"\nedition = "sample-2002"\nterm = "partnership*"\n'
        'expect = "present"\nat_least = 30\nat_most = 1000\n\n'
        '[[claim]]\nid = "tested"\nstatement = "s"\neditions = ["sample-2002", "sample-2021"]\n'
        'term = "partnership*"\nexpect = "fell"\nsignificant = true\n'
    )
    _, shown = checked(run, str(claims_file(claim)))
    bounded, tested = shown["claims"]
    assert (bounded["at_least"], bounded["at_most"], bounded["significant"]) == (30, 1000, False)
    assert (tested["at_least"], tested["at_most"], tested["significant"]) == (None, None, True)
    assert bounded["verdict"] == "does not hold"
    run("check", str(claims_file(claim)), "--format", "html", "-o", "check.html")
    page = Path("check.html").read_text(encoding="utf-8")
    assert "present (at least 30, at most 1,000)" in page and "fell (significant after Holm's correction)" in page
