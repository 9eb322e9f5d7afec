"""The ``mapper`` command speaks one language per run: Dutch when ``MAPPER_LANGUAGE`` or the
locale says ``nl`` (or ``--lang nl``), else English; and it starts without importing the heavy
parts of the library.

Real commands through Click's CliRunner on real SQLite files (the Leesclub community of
``tests/community_fixtures.py`` and the small town of ``tests/warm_town.py``).
"""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mapper.cli import COMMANDS, main
from mapper.i18n import load_catalog
from mapper.store import SQLiteStore
from tests.community_fixtures import build_leesclub
from tests.warm_town import build_town

ROOT = Path(__file__).parent.parent.parent

#: The environment of a run in each language. The locale variables are cleared so that the
#: machine's own locale does not decide.
NO_LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "MAPPER_LANGUAGE": None}
DUTCH = {**NO_LOCALE, "MAPPER_LANGUAGE": "nl"}
DUTCH_LOCALE = {**NO_LOCALE, "LANG": "nl_NL.UTF-8"}
ENGLISH = {**NO_LOCALE, "MAPPER_LANGUAGE": "en"}

#: English words of the interface that must not show in a Dutch run (whole words; not "met",
#: which is Dutch for "with").
ENGLISH_WORDS = (
    "members",
    "ties",
    "density",
    "reach",
    "date",
    "every",
    "month",
    "goal",
    "metric",
    "value",
    "target",
    "status",
    "behind",
    "missed",
    "New",
    "left",
    "Ties",
    "weaker",
    "stronger",
    "bonded",
    "Warm",
    "contacts",
    "name",
    "warmth",
    "Weakest",
    "Knows",
    "Error",
    "Usage",
    "Options",
    "Commands",
    "Show",
    "help",
    "the",
    "and",
    "with",
    "workspace",
    "created",
    "Library",
    "Person",
    "Staff",
    "Organisation",
    "contact",
    "moments",
)
#: Model codes that are never shown to a person.
RAW_CODES = ("MEMBER_OF", "KNOWS", "BOND_WITH", "Person", "SmartGoal", "fair", "strong", "consent")
#: Dutch words of the interface that must not show in an English run.
DUTCH_WORDS = (
    "leden",
    "relaties",
    "dichtheid",
    "bereik",
    "datum",
    "elke",
    "maand",
    "gehaald",
    "achter",
    "Nieuwe",
    "Vertrokken",
    "Warme",
    "contacten",
    "naam",
    "warmte",
    "Zwakste",
    "Kent",
    "Fout",
    "Gebruik",
    "Opties",
    "Opdrachten",
    "Toon",
    "werkruimte",
    "bedoelde",
    "Persoon",
    "Medewerker",
    "februari",
    "juni",
)


def words_in(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


@pytest.fixture
def lees(tmp_path):
    path = tmp_path / "lees.db"
    store = SQLiteStore(path)
    build_leesclub(store.create_workspace("lees", "Bibliotheek Leesstad"))
    store.close()
    return ["--database", str(path), "--workspace", "lees"]


@pytest.fixture
def town(tmp_path):
    path = tmp_path / "town.db"
    store = SQLiteStore(path)
    build_town(store, "demo")
    store.close()
    return ["--database", str(path), "--workspace", "demo"]


def run(env, *args: str):
    return CliRunner(env=env).invoke(main, list(args), prog_name="mapper")


def community_runs(lees):
    club = ["--community", "Leesclub De Linde"]
    return [
        ["connectedness", *lees, *club, "--from", "2025-02-01", "--to", "2025-05-01"],
        ["goals", *lees, *club, "--as-of", "2025-04-01"],
        ["community-changes", *lees, *club, "--from", "2025-02-01", "--to", "2025-07-01"],
    ]


def town_runs(town):
    return [
        ["warm-contacts", *town, "--theme", "duurzaamheid", "--date", "2026-06-01"],
        ["info", *town],
        ["duplicates", *town],
    ]


# ------------------------------------------------------------------------------ Dutch


@pytest.mark.parametrize("env", [DUTCH, DUTCH_LOCALE], ids=["MAPPER_LANGUAGE", "LANG"])
def test_dutch_runs_show_no_english_and_no_codes(lees, town, env):
    for args in community_runs(lees) + town_runs(town):
        result = run(env, *args)
        assert result.exit_code == 0, (args, result.output)
        names = {"Leesclub De Linde", "Repair Café", "Bibliotheek Rijnstad"}
        text = result.output
        for name in names:
            text = text.replace(name, "")
        assert not words_in(text, ENGLISH_WORDS), (args[0], words_in(text, ENGLISH_WORDS), text)
        assert not words_in(text, RAW_CODES), (args[0], words_in(text, RAW_CODES), text)


def test_dutch_tables_write_numbers_and_dates_the_dutch_way(lees, town):
    series = run(DUTCH, *community_runs(lees)[0]).output
    assert "1 februari 2025 … 1 mei 2025, elke maand" in series
    header, _rule, *rows = series.splitlines()[1:]
    assert header.split()[:3] == ["datum", "leden", "relaties"]
    april = next(r for r in rows if r.startswith("1 apr 2025"))
    assert "0,500" in april and "0,53" in april and "75%" in april  # density, strength, reach
    goals = run(DUTCH, *community_runs(lees)[1]).output
    assert "Leden" in goals and "gehaald" in goals and "30 apr 2025" in goals
    changes = run(DUTCH, *community_runs(lees)[2]).output
    assert "Zwakker geworden relaties (1)" in changes and "0,8 → 0,4" in changes
    warm = run(DUTCH, *town_runs(town)[0]).output
    assert "Warme contacten voor duurzaamheid (thema), 1 juni 2026" in warm
    assert re.search(r"Fatma Yılmaz\s+0,\d\d\s+0,48", warm)
    assert "(redelijk, handmatig)" in warm  # the strength's word, not its code
    info = run(DUTCH, *town_runs(town)[1]).output
    assert re.search(r"Persoon\s+4", info) and re.search(r"relaties\s+15", info)


def test_dutch_help_and_click_words(town):
    result = run(DUTCH, "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Gebruik: mapper [OPTIES] OPDRACHT [ARGUMENTEN]...")
    assert "Opdrachten:" in result.output and "Toon deze hulp en stop." in result.output
    assert "Rangschik warme contacten." in result.output
    assert not words_in(result.output, ("Usage", "Options", "Commands", "Show", "Serve"))
    sub = run(DUTCH, "connectedness", "--help")
    assert "Hoe verbonden een community is, maand na maand" in sub.output
    assert "Voorbeeld: mapper connectedness" in sub.output
    assert "[verplicht]" in sub.output and "[standaard: month]" in sub.output
    missing = run(DUTCH, "connectedness", *town)
    assert missing.exit_code == 2
    assert "Fout: Ontbrekende optie '--community'." in missing.output
    assert "Probeer 'mapper connectedness --help' voor hulp." in missing.output


def test_the_not_found_line_in_both_languages(town):
    dutch = run(DUTCH, "warm-contacts", *town, "--theme", "duurzaam")
    assert dutch.exit_code == 1
    (line,) = dutch.output.splitlines()
    assert line.startswith("Fout: ") and "'duurzaam'" in line
    assert line.endswith("(bedoelde je: duurzaamheid?)")
    english = run(ENGLISH, "warm-contacts", *town, "--theme", "duurzaam")
    assert english.exit_code == 1
    assert english.output == "Error: no Theme called 'duurzaam' (did you mean: duurzaamheid?)\n"


def test_an_unknown_workspace_in_both_languages(town):
    dutch = run(DUTCH, "info", "--database", town[1], "--workspace", "nergens")
    assert dutch.exit_code == 1 and dutch.output.startswith("Fout: ")
    assert "maak hem met `mapper init-workspace nergens`" in dutch.output
    english = run(ENGLISH, "info", "--database", town[1], "--workspace", "nergens")
    assert english.output.startswith("Error: ")
    assert "create it with `mapper init-workspace nergens`" in english.output


def test_lang_option_wins_over_the_environment(town):
    english = run(DUTCH, "--lang", "en", "info", *town)
    assert english.exit_code == 0 and re.search(r"Person\s+4", english.output)
    dutch = run(ENGLISH, "--lang=nl", "info", *town)
    assert re.search(r"Persoon\s+4", dutch.output)
    # A command's own --lang (the report's language) is not the run's.
    assert run(ENGLISH, "report", "--lang", "nl", "--help").output.startswith("Usage:")


# ---------------------------------------------------------------------------- English


def test_english_runs_show_no_dutch(lees, town):
    for args in community_runs(lees) + town_runs(town) + [["--help"]]:
        result = run(ENGLISH, *args)
        assert result.exit_code == 0, (args, result.output)
        text = result.output.replace("Leesclub De Linde", "").replace("4 leden", "")  # data
        assert not words_in(text, DUTCH_WORDS), (args[0], words_in(text, DUTCH_WORDS), text)
    series = run(ENGLISH, *community_runs(lees)[0]).output
    assert "1 February 2025 … 1 May 2025, every month" in series and "0.500" in series


def test_without_language_settings_the_run_is_english(town):
    result = run(NO_LOCALE, "info", *town)
    assert re.search(r"Person\s+4", result.output)


# ------------------------------------------------------------------ help texts, Dutch


def _all_commands(cmd: click.Command, path: str = "mapper"):
    yield path, cmd
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            yield from _all_commands(cmd.get_command(ctx, name), f"{path} {name}")


def test_every_help_text_has_a_dutch_translation():
    catalog = load_catalog("nl")
    missing = []
    for path, cmd in _all_commands(main):
        texts = [cmd.help, cmd.short_help] + [getattr(p, "help", None) for p in cmd.params]
        for text in filter(None, texts):
            message = catalog.get(inspect.cleandoc(text))
            if not (message and message.string):
                missing.append(f"{path}: {text[:60]!r}")
    assert not missing, "no Dutch for:\n" + "\n".join(missing)


# -------------------------------------------------------------------------------- speed


def test_help_lists_every_command_with_its_short_help():
    english = run(ENGLISH, "--help").output
    dutch = run(DUTCH, "--help").output
    catalog = load_catalog("nl")
    for name, (_target, short) in COMMANDS.items():
        assert re.search(rf"^  {re.escape(name)}\s", english, re.M), name
        assert short in " ".join(english.split()), name
        assert catalog.get(short).string in " ".join(dutch.split()), name


def test_the_map_matches_the_commands():
    """Every command in the map is the command of that name, and its short help is the one
    the list shows."""
    ctx = click.Context(main)
    for name, (target, short) in COMMANDS.items():
        cmd = main.get_command(ctx, name)
        assert cmd is not None and cmd.name == name, target
        assert cmd.get_short_help_str(200) == short


def test_starting_imports_nothing_heavy():
    """``import mapper.cli`` and ``mapper --help`` load no networkx, Flask, Neo4j driver,
    store or scrypt hashing (werkzeug): those come with the command that needs them."""
    code = (
        "import sys\n"
        "from mapper.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('networkx', 'flask', 'neo4j', 'werkzeug', 'numpy', 'openpyxl', 'web')\n"
        "found = {m.split('.')[0] for m in sys.modules} & set(heavy)\n"
        "found |= {m for m in sys.modules if m.startswith(('mapper.store', 'mapper.analysis'))}\n"
        "print('HEAVY=' + ','.join(sorted(found)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"MAPPER_LANGUAGE": "en", "PATH": "/usr/bin:/bin"},
    )
    assert "Usage: " in out.stdout  # the help was shown
    assert out.stdout.strip().splitlines()[-1] == "HEAVY=", out.stdout


def test_python_dash_m_runs_the_command():
    out = subprocess.run(
        [sys.executable, "-m", "mapper.cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"MAPPER_LANGUAGE": "nl", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0 and out.stdout.startswith("Gebruik: mapper ")


# ---------------------------------------------------------------------------- disk full

FULL_DISK = """
import resource, signal, sys
from mapper.cli import main
import mapper.cli.edit  # everything imported before the limit
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
main(["add", "persoon", "Nieuwe Naam", "--database", sys.argv[1], "--workspace", "demo"])
"""


@pytest.mark.parametrize(
    "lang, line",
    [
        ("nl", "Fout: de schijf is vol"),
        ("en", "Error: the disk is full or cannot be written; nothing was written"),
    ],
)
def test_a_full_disk_is_one_line_in_the_run_s_language(town, lang, line):
    """A real write that the file size limit stops (EFBIG): the one line the CLI shows."""
    path = Path(town[1])
    out = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(path), "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        # No .pyc written under the limit (a cut-off one would break later imports).
        env={"MAPPER_LANGUAGE": lang, "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert out.returncode == 1, out.stderr
    assert out.stderr.startswith(line), out.stderr
    assert "Traceback" not in out.stderr
