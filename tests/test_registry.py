"""The registry: bundled editions, the user's own registry on top, and ingest."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from wtcompare import cache, parallel
from wtcompare.errors import UsageError, WtcompareError
from wtcompare.fileio import atomic_write
from wtcompare.registry import LOADING_AT_ONCE, Registry, bundled_texts_dir


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_editions_are_bundled_and_marked_fictional(registry):
    samples = [e for e in registry.editions() if e.kind == "sample"]
    assert [e.id for e in samples] == ["sample-2002", "sample-2008", "sample-2014", "sample-2021"]
    for edition in samples:
        assert edition.fictional and "fictional" in edition.title.lower()
        assert edition.sha256 == hashlib.sha256(Path(edition.source).read_bytes()).hexdigest()


def test_unknown_edition_suggests_close_matches(registry):
    with pytest.raises(UsageError, match=r"unknown edition 'sample-2009'; did you mean sample-200"):
        registry.get("sample-2009")


def test_ingest_records_sha256_and_copies_the_file(tmp_path):
    source = write(tmp_path / "mine.md", "## Chapter 1: A\n\nSome text here.\n")
    texts = tmp_path / "texts"
    registry = Registry(texts, create=True)
    edition, changed = registry.ingest(source, "my-2024", title="Mine", year=2024)
    assert changed and edition.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert (texts / "my-2024.md").read_bytes() == source.read_bytes()
    again = Registry(texts)
    assert again.get("my-2024").title == "Mine" and again.get("my-2024").year == 2024
    assert [p.text for p in again.load("my-2024").paragraphs()] == ["Some text here."]
    # the bundled editions are still there under the user's registry
    assert "sample-2002" in again


def test_ingesting_the_same_file_again_changes_nothing(tmp_path):
    source = write(tmp_path / "mine.txt", "Some text here.\n")
    registry = Registry(tmp_path / "texts", create=True)
    registry.ingest(source, "mine")
    before = (tmp_path / "texts" / "editions.toml").read_bytes()
    _, changed = registry.ingest(source, "mine")
    assert not changed and (tmp_path / "texts" / "editions.toml").read_bytes() == before


def test_a_different_file_for_an_existing_edition_needs_replace(tmp_path):
    registry = Registry(tmp_path / "texts", create=True)
    registry.ingest(write(tmp_path / "one.txt", "First text.\n"), "mine")
    with pytest.raises(WtcompareError, match=r"two\.txt: edition 'mine' already has a different source.*--replace"):
        registry.ingest(write(tmp_path / "two.txt", "Second text.\n"), "mine")
    edition, changed = registry.ingest(tmp_path / "two.txt", "mine", replace_existing=True)
    assert changed and [p.text for p in registry.load("mine").paragraphs()] == ["Second text."]
    kept = list((tmp_path / "texts").glob("mine.txt.replaced-*"))
    assert len(kept) == 1 and kept[0].read_text() == "First text.\n"


def test_ingest_keeps_comments_in_the_users_registry(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    write(texts / "editions.toml", '# my notes\n[[edition]]\nid = "other"\ntitle = "Other"\n')
    Registry(texts).ingest(write(tmp_path / "a.txt", "Text.\n"), "mine")
    raw = (texts / "editions.toml").read_text()
    assert raw.startswith("# my notes") and 'id = "mine"' in raw


def test_user_registry_corrects_fields_of_bundled_editions(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    write(texts / "editions.toml", '[[edition]]\nid = "sample-2002"\npublisher = "Corrected"\n')
    edition = Registry(texts).get("sample-2002")
    assert edition.publisher == "Corrected" and edition.kind == "sample"


@pytest.mark.parametrize(
    "content, message",
    [
        ("[[edition]\nid = 1", r"editions\.toml: invalid TOML in registry: .*line 1"),
        ('[[edition]]\ntitle = "x"\n', r"edition 1: missing 'id'"),
        ('[[edition]]\nid = "Bad Id"\ntitle = "x"\n', r"editions\.toml:2: invalid edition id 'Bad Id'"),
        ('[[edition]]\nid = "x"\ntitle = "x"\nkind = "draft"\n', r"editions\.toml:2: .*kind must be one of"),
        ('[[edition]]\nid = "x"\ntitle = "x"\ncolour = "red"\n', r"unknown field\(s\) colour"),
        ('[[edition]]\nid = "x"\ntitle = "x"\n[[edition]]\nid = "x"\ntitle = "y"\n', r"listed twice"),
    ],
)
def test_malformed_registry_names_file_and_line(tmp_path, content, message):
    texts = tmp_path / "texts"
    texts.mkdir()
    write(texts / "editions.toml", content)
    with pytest.raises(WtcompareError, match=message):
        Registry(texts)


@pytest.mark.parametrize("bad", ["../escape", "UPPER", "", "-lead", "a/b", "x" * 65])
def test_edition_ids_cannot_leave_the_texts_folder(tmp_path, bad):
    source = write(tmp_path / "a.txt", "Text.\n")
    with pytest.raises(UsageError, match="invalid edition id"):
        Registry(tmp_path / "texts", create=True).ingest(source, bad)


def test_missing_source_file_says_how_to_add_it(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    write(texts / "editions.toml", '[[edition]]\nid = "gone"\ntitle = "Gone"\nsource = "gone.txt"\n')
    with pytest.raises(WtcompareError, match=r"gone\.txt: no such file"):
        Registry(texts).load("gone")


def test_registry_of_an_edition_without_text_points_to_ingest(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    write(texts / "editions.toml", '[[edition]]\nid = "far"\ntitle = "Far"\n')
    with pytest.raises(WtcompareError, match=r"'far' has no local text.*wtcompare ingest FILE --edition far"):
        Registry(texts).load("far")


def test_changed_file_is_reported_against_the_registry_checksum(tmp_path):
    texts = tmp_path / "texts"
    registry = Registry(texts, create=True)
    registry.ingest(write(tmp_path / "a.txt", "Text.\n"), "mine")
    write(texts / "mine.txt", "Edited text.\n")
    document = Registry(texts).load("mine")
    assert any("differs from the registry" in w for w in document.warnings)
    assert document.edition.sha256 == hashlib.sha256(b"Edited text.\n").hexdigest()


def test_atomic_write_leaves_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = write(tmp_path / "report.html", "old")

    def boom(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_bundled_dir_holds_registry_and_sample():
    root = bundled_texts_dir()
    assert (root / "editions.toml").is_file() and (root / "sample" / "ground_truth.toml").is_file()


def test_official_editions_are_listed_with_versions_and_no_guessed_addresses(registry):
    ids = {e.id for e in registry.editions() if e.kind == "official"}
    assert {"wt1988", "wt1991", "wt1999", "wt2006", "wt2010", "wt2013", "wt2015", "wt2018", "wt2023", "wt2026"} <= ids
    versions = {e.id: e.version_of for e in registry.editions() if e.version_of}
    assert versions["wt2018-2020"] == "wt2018" and versions["wt2023-2025"] == "wt2023"
    assert versions["wt2026-reupload"] == "wt2026"
    for edition in registry.editions():
        if edition.kind == "official":
            assert edition.source is None and (
                edition.url is None or edition.url.startswith("https://assets.publishing.service.gov.uk/")
            )
    assert registry.get("wt2010").url is None  # unverified in the sources: left empty
    with pytest.raises(WtcompareError, match=r"'wt2026' has no local text; download it with 'wtcompare fetch wt2026'"):
        registry.load("wt2026")


def _ingest_one(texts, source, edition_id, start):
    start.wait()  # all at once
    Registry(texts).ingest(source, edition_id, title=f"Title {edition_id}")


@pytest.mark.parametrize("round_", range(3))
def test_ingests_at_once_all_land(tmp_path, round_):
    """Eight processes ingest different files into one folder at the same moment: every entry and
    every file is there afterwards (without the registry's lock, entries were lost)."""
    import multiprocessing

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    texts = tmp_path / "texts"
    texts.mkdir()
    write(texts / "editions.toml", "# shared folder\n")
    start = context.Event()
    workers = []
    for k in range(8):
        source = write(tmp_path / f"in-{k}.txt", f"Chapter 1: C\n\n1.1 Text number {k} of round {round_}.\n")
        workers.append(context.Process(target=_ingest_one, args=(texts, source, f"at-once-{k}", start)))
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0] * 8
    registry = Registry(texts)
    for k in range(8):
        edition = registry.get(f"at-once-{k}")
        assert edition.title == f"Title at-once-{k}" and f"Text number {k} " in Path(edition.source).read_text()
    assert (texts / "editions.toml").read_text().startswith("# shared folder")


def test_cli_ingests_at_once_all_land(tmp_path):
    """The same through the command, six real `wtcompare ingest` processes started together."""
    import os
    import subprocess
    import sys

    texts = tmp_path / "texts"
    env = {k: v for k, v in os.environ.items() if k != "WTCOMPARE_TEXTS"}
    processes = []
    for k in range(6):
        source = write(tmp_path / f"in-{k}.md", f"# Chapter 1\n\nText {k}.\n")
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "wtcompare",
                    "--texts",
                    str(texts),
                    "ingest",
                    str(source),
                    "--edition",
                    f"cli-{k}",
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    results = [(p.wait(120), p.stderr.read()) for p in processes]
    assert results == [(0, "")] * 6
    assert {f"cli-{k}" for k in range(6)} <= {e.id for e in Registry(texts).editions()}


def test_ingest_adds_to_a_registry_written_as_an_inline_array(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    write(texts / "a.txt", "Text of A.\n")
    write(texts / "editions.toml", 'edition = [{id = "a", title = "A", year = 2000, source = "a.txt"}]\n')
    Registry(texts).ingest(write(tmp_path / "in.txt", "Text of X.\n"), "x")
    registry = Registry(texts)
    assert [e.id for e in registry.editions() if not e.fictional and e.source] == ["a", "x"]
    assert registry.load("x").paragraphs().__next__().text == "Text of X."


@pytest.mark.parametrize("fault", ["not TOML", "entry missing"])
def test_ingest_writes_nothing_when_the_registry_would_not_read_back(tmp_path, monkeypatch, fault):
    """The registry as it would be written is read back first; were it not TOML (as when a table
    of the wrong form went into an inline array) or without the entry, nothing is written or copied."""
    import tomlkit

    texts = tmp_path / "texts"
    texts.mkdir()
    write(texts / "a.txt", "Text of A.\n")
    before = 'edition = [{id = "a", title = "A", year = 2000, source = "a.txt"}]\n'
    write(texts / "editions.toml", before)
    if fault == "not TOML":
        monkeypatch.setattr(tomlkit, "inline_table", tomlkit.table)
    else:
        monkeypatch.setattr(tomlkit, "dumps", lambda document: before)
    with pytest.raises(WtcompareError, match=r"editions\.toml: cannot update registry"):
        Registry(texts).ingest(write(tmp_path / "in.txt", "Text of X.\n"), "x")
    assert (texts / "editions.toml").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in texts.iterdir() if p.name != ".editions.toml.lock") == ["a.txt", "editions.toml"]


@pytest.mark.parametrize(
    "field, message",
    [
        # found by a fuzzing run: each passed the registry's check and stopped the timeline with an
        # internal error when it sorted the editions by date
        ('date = "yesterday"', "invalid date 'yesterday'"),
        ('date = "2014-02-30"', "invalid date '2014-02-30'"),
        ("date = 2014-03-01T10:00:00", "invalid date '2014-03-01 10:00:00'"),
        ("year = 99999", "year must be from 1 to 9999, not 99999"),
        ("year = 0", "year must be from 1 to 9999, not 0"),
    ],
)
def test_a_registry_date_or_year_no_calendar_has_is_refused(tmp_path, field, message):
    texts = tmp_path / "texts"
    texts.mkdir()
    write(texts / "editions.toml", f'[[edition]]\nid = "one"\ntitle = "One"\n{field}\n')
    with pytest.raises(WtcompareError, match=rf"editions\.toml:2: edition 'one': {message}"):
        Registry(texts)


def _three(tmp_path: Path) -> Registry:
    texts = tmp_path / "texts"
    texts.mkdir()
    entries = []
    bodies = {"one": "## Chapter 1: One\n\nFirst words.\n", "two": "Second text.\n", "three": "Third.\n"}
    for name, body in bodies.items():
        write(texts / f"{name}.md", body)
        entries.append(f'[[edition]]\nid = "{name}"\ntitle = "{name.title()}"\nsource = "{name}.md"\n')
    write(texts / "editions.toml", "\n".join(entries))
    return Registry(texts)


def test_load_many_gives_each_edition_as_load_gives_it_in_the_order_asked(tmp_path, registry):
    ids = ["sample-2021", "sample-2002", "sample-2014"]
    many = registry.load_many(ids)
    assert [d.edition_id for d in many] == ids
    for loaded, edition_id in zip(many, ids, strict=True):
        alone = registry.load(edition_id)
        assert loaded == alone and cache.document_key(loaded) == cache.document_key(alone)
    mine = _three(tmp_path)
    assert mine.load_many(["three", "one"]) == [mine.load("three"), mine.load("one")]


class _Waiting(Registry):
    """Each edition's loading waits for a file that only the caller's ``meanwhile`` writes, and
    gives the process that loaded it: were ``meanwhile`` run after the loading, it would never end."""

    def __init__(self, texts: Path, signal_file: Path) -> None:
        super().__init__(texts)
        self.signal_file = signal_file

    def load(self, edition_id: str):  # type: ignore[override]
        deadline = time.monotonic() + 60
        while not self.signal_file.exists():
            if time.monotonic() > deadline:
                raise TimeoutError("meanwhile did not run while the editions loaded")
            time.sleep(0.01)
        return (edition_id, os.getpid())


def test_load_many_loads_in_workers_while_the_caller_runs_meanwhile(tmp_path):
    mine = _three(tmp_path)
    waiting = _Waiting(mine.texts_dir, tmp_path / "go")
    calls = []

    def meanwhile():
        calls.append(os.getpid())
        (tmp_path / "go").write_text("go")

    ids = ["one", "two", "three"] * 3
    loaded = waiting.load_many(ids, meanwhile)
    assert calls == [os.getpid()]  # once, here
    assert [edition_id for edition_id, _ in loaded] == ids
    # the first two, each in a worker of its own; the rest here, after meanwhile
    at_once = LOADING_AT_ONCE
    workers = [pid for _, pid in loaded[:at_once]]
    assert os.getpid() not in workers and len(set(workers)) == len(workers)
    assert all(pid == os.getpid() for _, pid in loaded[at_once:])


def test_load_many_on_one_core_loads_each_edition_here_after_meanwhile(tmp_path, monkeypatch):
    """On one core a worker beside the caller's imports only takes turns with them: every edition
    is loaded here, after ``meanwhile``, with no process forked."""
    from wtcompare import parallel

    monkeypatch.setattr(parallel, "cores", lambda: 1)
    mine = _three(tmp_path)
    order = []
    original = Registry.load
    monkeypatch.setattr(Registry, "load", lambda self, e: order.append((e, os.getpid())) or original(self, e))
    documents = mine.load_many(["one", "two", "three"], lambda: order.append(("meanwhile", os.getpid())))
    assert [e for e, _ in order] == ["meanwhile", "one", "two", "three"] and len(documents) == 3
    assert {pid for _, pid in order} == {os.getpid()}


class _Counting(Registry):
    """Each edition's loading notes its id in a file (workers share no memory with the caller);
    the first edition fails."""

    def __init__(self, texts: Path, log: Path) -> None:
        super().__init__(texts)
        self.log = log

    def load(self, edition_id: str):  # type: ignore[override]
        with open(self.log, "a", encoding="utf-8") as log:
            log.write(edition_id + "\n")
        if edition_id == "one":
            raise WtcompareError("one.md: no such file")
        return edition_id


def test_load_many_starts_no_more_editions_once_the_first_has_failed(tmp_path):
    """A registry of thousands of editions whose first has no file fails at once: at most two
    editions are started before the first's error is raised (the fuzzing harness's registry
    of 40,000 entries took over two minutes when every one was started)."""
    mine = _three(tmp_path)
    counting = _Counting(mine.texts_dir, tmp_path / "started")
    with pytest.raises(WtcompareError, match="one.md"):
        counting.load_many(["one"] + ["two", "three"] * 50)
    started = (tmp_path / "started").read_text(encoding="utf-8").split()
    assert "one" in started
    assert len(started) <= LOADING_AT_ONCE


def test_load_many_without_fork_loads_here_then_runs_meanwhile(tmp_path, monkeypatch):
    mine = _three(tmp_path)
    order = []
    monkeypatch.setattr(parallel, "_context", lambda: None)
    original = Registry.load
    monkeypatch.setattr(Registry, "load", lambda self, i: order.append(i) or original(self, i))
    documents = mine.load_many(["two", "one"], lambda: order.append("meanwhile"))
    assert order == ["two", "one", "meanwhile"]
    assert [d.edition_id for d in documents] == ["two", "one"]


def test_load_many_raises_the_first_failing_editions_error_as_load_does(tmp_path):
    mine = _three(tmp_path)
    (mine.texts_dir / "two.md").unlink()
    (mine.texts_dir / "three.md").write_bytes(b"\x00" * 10)
    with pytest.raises(WtcompareError) as alone:
        mine.load("two")
    with pytest.raises(WtcompareError):
        mine.load("three")  # fails too, later in the order
    with pytest.raises(WtcompareError) as many:
        mine.load_many(["one", "two", "three"])
    assert str(many.value) == str(alone.value) and "two.md" in str(many.value)
    with pytest.raises(UsageError, match="no-such"):
        mine.load_many(["one", "no-such"])


def test_stored_says_whether_the_cache_holds_the_editions_document(tmp_path, monkeypatch):
    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    mine = _three(tmp_path)
    assert not mine.stored("one")
    mine.load("one")
    assert mine.stored("one") and not mine.stored("two")
    (mine.texts_dir / "one.md").write_text("## Chapter 1: One\n\nOther words.\n", encoding="utf-8")
    assert not mine.stored("one")  # another text is another entry
    mine.load("two")
    assert mine.stored("two")
    was = cache.enabled()
    cache.use(False)
    try:
        assert not mine.stored("two")  # the cache is off: loading would not read it
    finally:
        cache.use(was)


class _Dying(Registry):
    """The second edition's loading kills its worker, as the system's out-of-memory killer would."""

    def load(self, edition_id: str):  # type: ignore[override]
        if edition_id == "two":
            os.kill(os.getpid(), 9)
        return super().load(edition_id)


def test_a_loading_worker_killed_is_an_error_naming_the_editions_file(tmp_path):
    mine = _three(tmp_path)
    dying = _Dying(mine.texts_dir)
    seen = []
    with pytest.raises(WtcompareError, match=r"/two\.md: loading it stopped its worker process \(exit code -9\)"):
        dying.load_many(["one", "two", "three"], each=lambda document: seen.append(document.edition_id))
    assert seen == ["one"]  # the edition before it was taken (and its warnings printed) first


def test_each_editions_warnings_come_before_a_later_editions_error(run, tmp_path):
    """As when they were loaded in turn: the first edition's warning (its file changed since it was
    registered), then the second's error (no file)."""
    texts = tmp_path / "texts"
    texts.mkdir()
    write(texts / "a.md", "## Chapter 1: A\n\nSome words here.\n")
    write(
        texts / "editions.toml",
        '[[edition]]\nid = "a"\ntitle = "A"\nsource = "a.md"\nsha256 = "' + "0" * 64 + '"\n\n'
        '[[edition]]\nid = "b"\ntitle = "B"\nsource = "b.md"\n',
    )
    for command in (["report", "a", "b", "-o", str(tmp_path / "r.html")], ["keyness", "a", "b"], ["scan", "a", "b"]):
        result = run("--texts", str(texts), *command)
        lines = result.stderr.splitlines()
        assert result.exit_code == 2, command  # no such file: a usage error
        assert "a.md: sha256" in lines[0] and "differs from the registry's" in lines[0], command
        assert lines[-1].startswith("wtcompare: error: ") and "b.md" in lines[-1], command
        assert len(lines) == 2, command


def _pdf(words: str) -> bytes:
    from pdfmaker import Writer

    pdf = Writer()
    pdf.new_page()
    pdf.heading(f"Chapter 1: {words.split()[0]}", 18)
    pdf.paragraph("1.1", f"{words} Practitioners should work in partnership with parents (fictional).")
    return pdf.finish()


def _pdfs(tmp_path: Path, names: list[str]) -> Registry:
    """A registry of small PDF editions, one per name (a name ending in ``-bad`` a broken PDF, one
    ending in ``-gone`` a file that is not there)."""
    texts = tmp_path / "texts"
    texts.mkdir(parents=True)
    entries = []
    for k, name in enumerate(names):
        if not name.endswith("-gone"):
            data = b"%PDF-1.4 broken" if name.endswith("-bad") else _pdf(f"Edition{k} of the fictional guidance.")
            (texts / f"{name}.pdf").write_bytes(data)
        entries.append(f'[[edition]]\nid = "{name}"\ntitle = "{name}"\nyear = {2000 + k}\nsource = "{name}.pdf"\n')
    write(texts / "editions.toml", "\n".join(entries))
    return Registry(texts)


def _uncached(registry: Registry, edition_id: str):
    """The edition `load` gives, the cache left as it was (neither read nor written)."""
    was = cache.enabled()
    cache.use(False)
    try:
        return registry.load(edition_id)
    finally:
        cache.use(was)


def _logging_loads(monkeypatch, log: Path) -> None:
    """Each `load_bytes` call notes the file and the process that made it in ``log`` (workers share
    no memory with the caller)."""
    from wtcompare import load

    original = load.load_bytes

    def logged(data, name, *args, **kwargs):
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{Path(name).stem} {os.getpid()}\n")
        return original(data, name, *args, **kwargs)

    monkeypatch.setattr(load, "load_bytes", logged)


def test_load_many_loads_pdfs_after_the_first_two_in_workers_too(tmp_path, monkeypatch):
    """Reading a PDF's pages is most of its loading: every PDF the cache lacks is loaded in a
    worker, not only the two started beside the caller's imports, and each document is the one
    `load` gives."""
    names = [f"pdf{k}" for k in range(5)]
    mine = _pdfs(tmp_path, names)
    _logging_loads(monkeypatch, tmp_path / "log")
    seen = []
    many = mine.load_many(names, each=lambda document: seen.append(document.edition_id))
    assert seen == names
    loaded = dict(line.split() for line in (tmp_path / "log").read_text(encoding="utf-8").splitlines())
    assert sorted(loaded) == names and str(os.getpid()) not in loaded.values()
    monkeypatch.setattr(parallel, "cores", lambda: 1)  # on one core: all here
    (tmp_path / "log").unlink()
    cache.clear()  # loaded afresh, not read from the cache
    assert mine.load_many(names) == many == [_uncached(mine, name) for name in names]
    assert set((tmp_path / "log").read_text(encoding="utf-8").split()[1::2]) == {str(os.getpid())}


def test_load_many_of_pdfs_raises_the_first_failing_editions_error_in_its_turn(tmp_path):
    names = ["pdf0", "pdf1", "pdf2", "pdf3-gone", "pdf4-bad", "pdf5"]
    mine = _pdfs(tmp_path, names)
    with pytest.raises(WtcompareError) as alone:
        mine.load("pdf3-gone")
    seen = []
    with pytest.raises(WtcompareError) as many:
        mine.load_many(names, each=lambda document: seen.append(document.edition_id))
    assert str(many.value) == str(alone.value) and seen == ["pdf0", "pdf1", "pdf2"]
    mine = _pdfs(tmp_path / "other", ["pdf0", "pdf1-bad", "pdf2-gone"])
    with pytest.raises(WtcompareError, match="pdf1-bad"):
        mine.load_many(["pdf0", "pdf1-bad", "pdf2-gone"])


def test_texts_load_the_next_pdf_in_a_worker_while_the_caller_works_on_the_one_before(tmp_path, monkeypatch):
    """The timeline's series: each text's document and outline are those `load` gives; the first
    edition is loaded here while the second loads in a worker, and every later PDF in a worker
    started when the one before it was taken. A text (not a PDF) is loaded here in its turn."""
    from wtcompare.outline import Outline

    names = [f"pdf{k}" for k in range(4)]
    mine = _pdfs(tmp_path, names)
    write(mine.texts_dir / "plain.md", "## Chapter 1: Plain\n\nSome words here.\n")
    with open(mine.texts_dir / "editions.toml", "a", encoding="utf-8") as registry_file:
        registry_file.write('\n[[edition]]\nid = "plain"\ntitle = "Plain"\nyear = 2010\nsource = "plain.md"\n')
    mine = Registry(mine.texts_dir)
    names.insert(2, "plain")
    expected = [_uncached(mine, name) for name in names]
    _logging_loads(monkeypatch, tmp_path / "log")
    log = tmp_path / "log"
    with mine.texts(names) as texts:
        for text, document in zip(texts, expected, strict=True):
            assert text.document() == document and text.outline() == Outline.of(document)
    pids = dict(line.split() for line in log.read_text(encoding="utf-8").splitlines())
    assert pids["pdf0"] == pids["plain"] == str(os.getpid())
    assert all(pids[name] != str(os.getpid()) for name in ("pdf1", "pdf2", "pdf3"))


def test_texts_raise_an_editions_error_in_its_turn_and_name_the_file_of_a_dead_worker(tmp_path, monkeypatch):
    mine = _pdfs(tmp_path, ["pdf0", "pdf1-gone", "pdf2-bad"])
    with pytest.raises(WtcompareError) as alone:
        mine.load("pdf1-gone")
    taken = []
    with pytest.raises(WtcompareError) as series, mine.texts(["pdf0", "pdf1-gone", "pdf2-bad"]) as texts:
        for text in texts:
            taken.append(text.edition_id)
    assert str(series.value) == str(alone.value) and taken == ["pdf0"]

    from wtcompare import load

    here = os.getpid()
    original = load.load_bytes

    def dying(data, name, *args, **kwargs):
        if name.endswith("pdf1.pdf") and os.getpid() != here:
            os.kill(os.getpid(), 9)  # as the system's out-of-memory killer would
        return original(data, name, *args, **kwargs)

    monkeypatch.setattr(load, "load_bytes", dying)
    mine = _pdfs(tmp_path / "other", ["pdf0", "pdf1", "pdf2"])
    died = r"/pdf1\.pdf: loading it stopped its worker process \(exit code -9\)"
    with pytest.raises(WtcompareError, match=died), mine.texts(["pdf0", "pdf1", "pdf2"]) as texts:
        for text in texts:
            text.outline()


def test_load_many_with_failed_gives_each_editions_error_and_loads_the_others(tmp_path, monkeypatch):
    """As `check` reads a claims file's editions: one that cannot be read is a verdict, not the end."""
    names = ["pdf0", "pdf1-gone", "pdf2-bad", "pdf3", "pdf4", "pdf5"]
    mine = _pdfs(tmp_path, names)
    names.insert(0, "no-such-edition")  # not in the registry, among the first two (started in workers)
    errors = {}
    for name in ("no-such-edition", "pdf1-gone", "pdf2-bad"):
        with pytest.raises(WtcompareError) as alone:
            mine.load(name)
        errors[name] = str(alone.value)
    _logging_loads(monkeypatch, tmp_path / "log")
    failures, seen = {}, []
    documents = mine.load_many(
        names, each=lambda d: seen.append(d.edition_id), failed=lambda e, error: failures.setdefault(e, str(error))
    )
    assert [d.edition_id for d in documents] == seen == ["pdf0", "pdf3", "pdf4", "pdf5"]
    assert failures == errors
    pids = dict(line.split() for line in (tmp_path / "log").read_text(encoding="utf-8").splitlines())
    assert all(pids[name] != str(os.getpid()) for name in ("pdf3", "pdf4", "pdf5"))


def test_texts_load_no_pdf_whose_outline_is_cached_unless_its_document_is_asked_for(tmp_path, monkeypatch):
    """With an edition's outline cached, the timeline loads its document only if a scan or an
    alignment the cache lacks asks for it: no worker loads it ahead (every PDF of a series whose
    documents alone were deleted from the cache was loaded at once, for nothing)."""
    names = [f"pdf{k}" for k in range(4)]
    mine = _pdfs(tmp_path, names)
    with mine.texts(names) as texts:
        for text in texts:
            text.outline()
    for entry in cache.folder().glob("document-*.json"):
        entry.unlink()
    _logging_loads(monkeypatch, tmp_path / "log")
    with mine.texts(names) as texts:
        for text in texts:
            assert text.outline().paragraphs
    assert not (tmp_path / "log").exists()  # nothing loaded
    with mine.texts(names) as texts:
        documents = [text.document() for text in texts]  # asked for: loaded here, in turn
    assert documents == [_uncached(mine, name) for name in names]
    pids = {line.split()[1] for line in (tmp_path / "log").read_text(encoding="utf-8").splitlines()}
    assert pids == {str(os.getpid())}
