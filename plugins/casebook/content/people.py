"""The roster (content/people.toml): who may write and what their role is."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem

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


def load_roster(path: Path) -> tuple[Roster, list[Problem]]:
    """Read the roster; a roster with problems still lists the people it could read."""
    if not path.is_file():
        return Roster(path, {}), [
            Problem(path, None, "The roster of people is missing. Create it with one "
                    '[[person]] table per person (name = "...", role = "staff" or "supervisor").')
        ]
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return Roster(path, {}), [not_utf8(path, error)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Roster(path, {}), [toml_problem(path, error)]
    return parse_people(path, text, data)


def parse_people(path: Path, text: str, data: dict) -> tuple[Roster, list[Problem]]:
    entries = data.get("person", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        return Roster(path, {}), [
            Problem(path, None, "Write each person as a [[person]] table, with name and role.")
        ]
    lines = [number for number, line in enumerate(text.splitlines(), 1) if PERSON_HEADER.match(line)]
    people: dict[str, Person] = {}
    problems: list[Problem] = []
    for entry, line in zip(entries, lines + [None] * len(entries)):
        person, person_problems = parse_person(path, line, entry, people)
        problems += person_problems
        if person:
            people[person.name] = person
    if not entries:
        problems.append(Problem(path, None, "The roster lists nobody. Add a [[person]] table "
                                'for each writer (name = "...", role = "staff" or "supervisor").'))
    names = {entry["name"].strip() for entry in entries if isinstance(entry.get("name"), str)}
    return Roster(path, people, frozenset(names)), problems


def parse_person(path, line, entry, known) -> tuple[Person | None, list[Problem]]:
    problems = []
    name = entry.get("name")
    role = entry.get("role")
    email = entry.get("email", "")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem(path, line, 'This person has no name. Add a line such as name = "Julie Hill".'))
    elif name.strip() in known:
        problems.append(Problem(path, line, f'"{name}" is on the roster twice. Keep one of them.'))
    if role not in ROLES:
        shown = f'"{role}"' if isinstance(role, str) else "missing"
        problems.append(Problem(path, line, f'The role is {shown}. Write role = "staff" or role = "supervisor".'))
    if not isinstance(email, str):
        problems.append(Problem(path, line, 'Write the email in quotes, for example email = "julie.hill@example.com".'))
    for field in sorted(set(entry) - KNOWN_FIELDS):
        problems.append(Problem(path, line, f'"{field}" is not a roster field. Use name, role and email.'))
    if problems:
        return None, problems
    return Person(name.strip(), role, email, line), []


def toml_problem(path: Path, error: tomllib.TOMLDecodeError,
                 layout: str = 'each person is [[person]] followed by lines like name = "Julie Hill"') -> Problem:
    # tomllib ends its message with "(at line N, column M)"; keep the line apart.
    match = re.search(r"\(at line (\d+), column \d+\)$", str(error))
    reason = str(error)[: match.start()].strip() if match else str(error)
    line = int(match.group(1)) if match else None
    return Problem(path, line, f"This is not valid TOML ({reason}). Check quotes and brackets: {layout}.")


def not_utf8(path: Path, error: UnicodeDecodeError) -> Problem:
    line = error.object.count(b"\n", 0, error.start) + 1
    return Problem(path, line, "This file is not saved as UTF-8 text. Open it in your editor "
                   "and save it again with the UTF-8 encoding.")
