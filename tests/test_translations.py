"""Every interface string has its Chinese translation, and none is left fuzzy."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        msgid = "".join(re.findall(r'^(?:msgid|msgid_plural)?\s*"(.*)"$', "\n".join(lines), re.M)[:1])
        strings = re.findall(r'^msgstr(?:\[\d+\])? "(.*)"((?:\n".*")*)', "\n".join(lines), re.M)
        translated = ["".join([first, *re.findall(r'"(.*)"', rest)]) for first, rest in strings]
        yield lines, msgid, translated


def test_no_untranslated_or_fuzzy_entries():
    problems = []
    for lines, msgid, translated in _entries():
        header = msgid == "" and lines and lines[0].startswith(("msgid", "#"))
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            problems.append(f"fuzzy: {lines}")
        if not header and translated and not all(translated):
            problems.append(f"untranslated: {lines}")
    assert not problems, "\n".join(problems[:10])


def test_the_catalogue_is_current_with_the_code(tmp_path):
    """makemessages finds no string that the catalogue lacks."""
    out = tmp_path / "fresh.pot"
    subprocess.run(
        ["xgettext", "--version"], check=True, capture_output=True
    )  # gettext is installed by the setup (apt) on every machine of this kind
    sources = [p for p in (ROOT / "src").rglob("*.py") if "migrations" not in p.parts]
    subprocess.run(
        [
            "xgettext",
            "-L",
            "Python",
            "--from-code=UTF-8",
            "-k_",
            "-kgettext_lazy",
            "-kgettext",
            "-o",
            str(out),
        ]
        + [str(p) for p in sources],
        check=True,
    )
    in_code = set(re.findall(r'^msgid "(.+)"$', out.read_text(encoding="utf-8"), re.M))
    missing = in_code - _catalogue_ids()
    assert not missing, sorted(missing)[:10]


def _catalogue_ids() -> set[str]:
    """msgids, with the long ones that the .po wraps over several lines joined again."""
    wrapped = re.findall(r'^msgid "(.*)"\n((?:".*"\n)*)', PO.read_text(encoding="utf-8"), re.M)
    return {first + "".join(re.findall(r'"(.*)"', rest)) for first, rest in wrapped} - {""}


def test_every_template_string_is_in_the_catalogue():
    in_catalogue = _catalogue_ids()
    tag = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
    missing = set()
    for template in (ROOT / "src").rglob("*.html"):
        for _quote, text in tag.findall(template.read_text(encoding="utf-8")):
            if text.replace('"', '\\"') not in in_catalogue:
                missing.add(f"{template.name}: {text}")
    assert not missing, sorted(missing)
