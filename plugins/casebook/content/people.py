"""The roster (content/people.toml): who may write and what their role is."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem
from ..settings import CasebookSettings
from .addresses import make_slug, unusable
from .characters import comparable, describe, first_invisible

ROLES = ("staff", "supervisor")
PERSON_HEADER = re.compile(r"^\s*\[\[\s*person\s*\]\]")
KNOWN_FIELDS = {"name", "role", "email"}


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    email: str = ""
    line: int | None = field(default=None, compare=False)  # in the roster file

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


@dataclass(frozen=True)
class Roster:
    path: Path
    people: dict[str, Person]
    # Every name listed, including people whose entry has a mistake: their
    # entries are not also reported as written by a stranger.
    names: frozenset[str] = frozenset()

    def __contains__(self, name: str) -> bool:
        return name in self.names


def load_roster(settings: CasebookSettings) -> tuple[Roster, list[Problem]]:
    """Read the roster; a roster with problems still lists the people it could read."""
    path = settings.people_file
    if not path.is_file():
        return Roster(path, {}), [
            Problem(
                path,
                None,
                "The roster of people is missing. Create it with one "
                '[[person]] table per person (name = "...", role = "staff" or "supervisor").',
            )
        ]
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return Roster(path, {}), [not_utf8(path, error)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Roster(path, {}), [toml_problem(path, error)]
    return parse_people(path, text, data, settings.author_substitutions)


def parse_people(
    path: Path, text: str, data: dict, substitutions: tuple
) -> tuple[Roster, list[Problem]]:
    entries = data.get("person", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        return Roster(path, {}), [
            Problem(path, None, "Write each person as a [[person]] table, with name and role.")
        ]
    lines = [number for number, line in enumerate(text.split("\n"), 1) if PERSON_HEADER.match(line)]
    people: dict[str, Person] = {}
    looks, addresses = {}, {}  # the people so far, by how their names look and by their addresses
    problems: list[Problem] = []
    for entry, line in zip(entries, lines + [None] * len(entries)):
        person, person_problems = parse_person(path, line, entry)
        if person and (clash := name_clash(person, looks, addresses, substitutions)):
            person, person_problems = None, [Problem(path, line, clash)]
        problems += person_problems
        if person:
            people[person.name] = person
    if not entries:
        problems.append(
            Problem(
                path,
                None,
                "The roster lists nobody. Add a [[person]] table "
                'for each writer (name = "...", role = "staff" or "supervisor").',
            )
        )
    names = {entry["name"].strip() for entry in entries if isinstance(entry.get("name"), str)}
    return Roster(path, people, frozenset(names)), problems


def parse_person(path, line, entry) -> tuple[Person | None, list[Problem]]:
    problems = []
    name = entry.get("name")
    role = entry.get("role")
    email = entry.get("email", "")
    if not isinstance(name, str) or not name.strip():
        problems.append(
            Problem(path, line, 'This person has no name. Add a line such as name = "Julie Hill".')
        )
    elif character := first_invisible(name):
        problems.append(
            Problem(
                path,
                line,
                f'The name "{name}" holds an invisible character, '
                f"{describe(character)}. Type the name again.",
            )
        )
    if role not in ROLES:
        shown = f'"{role}"' if isinstance(role, str) else "missing"
        problems.append(
            Problem(
                path, line, f'The role is {shown}. Write role = "staff" or role = "supervisor".'
            )
        )
    if not isinstance(email, str):
        problems.append(
            Problem(
                path,
                line,
                'Write the email in quotes, for example email = "julie.hill@example.com".',
            )
        )
    for unknown in sorted(set(entry) - KNOWN_FIELDS):
        problems.append(
            Problem(path, line, f'"{unknown}" is not a roster field. Use name, role and email.')
        )
    if problems:
        return None, problems
    return Person(name.strip(), role, email, line), []


def name_clash(person: Person, looks: dict, addresses: dict, substitutions: tuple) -> str | None:
    """What is wrong if this person's name looks like, or makes the same address as, a name before
    it.
    Pelican gives each person a page at an address made from the name; two names, one page."""
    name, slug = person.name, make_slug(person.name, substitutions)
    if trouble := unusable(slug):
        return f'The name "{name}" {trouble}. Write the name in letters.'
    if twin := looks.get(comparable(name)):
        return (
            f'"{name}" is on the roster twice. Keep one of them.'
            if twin.name == name
            else f'"{name}" looks the same as "{twin.name}", already on the roster: names that '
            "differ only in capitals, spaces or look-alike letters would be one person on the "
            "site. Keep one of them."
        )
    if twin := addresses.get(slug):
        return (
            f'"{name}" and "{twin.name}" would share one page, at the address "{slug}". Write the '
            "names so that they differ in letters or digits, or keep one of them."
        )
    looks[comparable(name)] = addresses[slug] = person
    return None


def toml_problem(
    path: Path,
    error: tomllib.TOMLDecodeError,
    layout: str = 'each person is [[person]] followed by lines like name = "Julie Hill"',
) -> Problem:
    # tomllib ends its message with "(at line N, column M)"; keep the line apart.
    match = re.search(r"\(at line (\d+), column \d+\)$", str(error))
    reason = str(error)[: match.start()].strip() if match else str(error)
    line = int(match.group(1)) if match else None
    return Problem(
        path, line, f"This is not valid TOML ({reason}). Check quotes and brackets: {layout}."
    )


def not_utf8(path: Path, error: UnicodeDecodeError) -> Problem:
    line = error.object.count(b"\n", 0, error.start) + 1
    return Problem(
        path,
        line,
        "This file is not saved as UTF-8 text. Open it in your editor "
        "and save it again with the UTF-8 encoding.",
    )
