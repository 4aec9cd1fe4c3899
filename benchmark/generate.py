"""A synthetic journal, the same for a given size and seed: realistic in shape, not in words."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Ellie",
    "Femi",
    "Grace",
    "Hugo",
    "Isla",
    "Jonah",
    "Kiran",
    "Lena",
    "Marcus",
    "Nina",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Wes",
    "Yara",
    "Zoe",
]
LAST = [
    "Hill",
    "Okafor",
    "Nair",
    "Reed",
    "Sousa",
    "Patel",
    "Byrne",
    "Clarke",
    "Dunn",
    "Evans",
    "Ford",
    "Gray",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lowe",
    "Moss",
    "Nash",
    "Owen",
    "Price",
    "Rowe",
    "Shah",
    "Todd",
]
TAGS = [
    "refunds",
    "deadlines",
    "escalation",
    "anxious caller",
    "jargon",
    "parcels",
    "messages",
    "new clients",
    "phone manner",
    "complaints",
    "chat",
    "tooling",
    "returns",
    "billing",
    "delivery",
    "damaged goods",
    "accessibility",
    "vulnerable customer",
    "callbacks",
    "handover",
    "apology",
    "policy",
    "warranty",
    "subscriptions",
    "payments",
    "fraud",
    "address change",
    "medication",
    "bereavement",
    "translation",
    "email tone",
    "waiting times",
    "follow up",
    "feedback",
    "training",
    "templates",
    "outage",
    "website",
    "vouchers",
    "loyalty",
]
CHANNELS = ["phone", "email", "chat", "in-person", "other"]
WORDS = """customer caller order parcel refund delivery depot address postcode tracking number code
email
message colleague supervisor team queue hold line call callback promise date week morning afternoon
evening warehouse return inspection release card bank statement account invoice payment voucher
apology policy warranty repair replacement courier driver van slot window note template script
reference spelling alphabet letter digit confirm read back listen wait pause silence voice worried
calm angry polite patient grateful confused frustrated tired relieved said asked explained checked
found missed lost forgot wrote noted flagged escalated transferred booked rebooked cancelled changed
sent received opened closed fixed broke delayed arrived shipped packed labelled scanned signed
today tomorrow yesterday Monday Tuesday Wednesday Thursday Friday Saturday quickly slowly clearly
carefully again first last next every always never often because although while before after until
system screen portal widget inbox form field log button page link app update setting zone
hours""".split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: int) -> str:
    sentences, left = [], words
    while left > 0:
        size = min(left, rng.randint(8, 18))
        sentences.append(sentence(rng, size))
        left -= size
    return " ".join(sentences)


def transcript(rng: random.Random) -> str:
    lines = [
        f'> {rng.choice(["He", "She", "I"])} said, "{sentence(rng, rng.randint(4, 10))}"'
        for _ in range(rng.randint(3, 6))
    ]
    return "\n".join(lines + [f"> {rng.choice(['He', 'She'])} hung up."])


def generate(folder: Path, entries: int, seed: int = 2026) -> Path:
    """Write content/ (entries, comments, people.toml, paths/) under folder; return the content
    path."""
    rng = random.Random(seed)
    content = folder / "content"
    names = sorted({f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(200)})[
        : rng.randint(20, 40)
    ]
    supervisors = set(rng.sample(names, max(3, len(names) // 6)))
    content.mkdir(parents=True)
    (content / "people.toml").write_text(
        "".join(
            f'[[person]]\nname = "{name}"\nrole = '
            f'"{"supervisor" if name in supervisors else "staff"}"\n\n'
            for name in names
        )
    )
    start = datetime.datetime(2016, 1, 4, 9, 0)
    for number in range(entries):
        date = start + datetime.timedelta(minutes=rng.randint(0, 10 * 365 * 24 * 60))
        author = rng.choice(names)
        slug = f"case-{number:05d}"
        title = f"{sentence(rng, rng.randint(3, 7))[:-1]} ({number})"
        words = rng.randint(300, 800)
        paragraphs = [paragraph(rng, words // 4) for _ in range(4)]
        if rng.random() < 0.4:
            paragraphs.insert(2, transcript(rng))
        lessons = "\n".join(
            f"- {sentence(rng, rng.randint(6, 14))}" for _ in range(rng.randint(1, 4))
        )
        body = (
            f"## What happened\n\n{paragraphs[0]}\n\n{paragraphs[1]}\n\n## What I did\n\n"
            + "\n\n".join(paragraphs[2:])
            + f"\n\n## Lessons learned\n\n{lessons}\n"
        )
        header = (
            f"Title: {title}\nSlug: {slug}\nDate: {date:%Y-%m-%d %H:%M}\nAuthor: {author}\n"
            f"Tags: {', '.join(rng.sample(TAGS, rng.randint(1, 3)))}\nChannel: "
            f"{rng.choice(CHANNELS)}\n"
            f"Summary: {sentence(rng, rng.randint(10, 20))}\n\n"
        )
        path = content / "entries" / f"{date:%Y}" / f"{date:%Y-%m-%d}-{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(header + body)
        write_comments(rng, content / "comments" / slug, author, date, names, supervisors)
    write_paths(random.Random(seed + 1), content / "paths", entries)
    return content


def write_paths(
    rng: random.Random, folder: Path, entries: int, paths: int = 10, length: int = 10
) -> None:
    """Trainers' reading paths (content/paths/): ten entries each, some with a note."""
    folder.mkdir(parents=True)
    for number in range(paths if entries >= length else 0):
        steps = "".join(
            f'\n[[entry]]\nslug = "case-{index:05d}"\n'
            + (f'note = "{sentence(rng, 8)}"\n' if rng.random() < 0.5 else "")
            for index in rng.sample(range(entries), length)
        )
        (folder / f"path-{number:02d}.toml").write_text(
            f'title = "{sentence(rng, 5)[:-1]}"\nintro = "{paragraph(rng, 40)}"\n{steps}'
        )


def write_comments(rng, folder: Path, author: str, date, names, supervisors) -> None:
    endorse = rng.random() < 1 / 3
    count = max(rng.randint(0, 4), 1 if endorse else 0)
    for index in range(count):
        endorser = sorted(supervisors - {author})
        commenter = rng.choice(endorser) if index == 0 and endorse else rng.choice(names)
        fields = (
            f"Author: {commenter}\nDate: "
            f"{date + datetime.timedelta(hours=index + 1):%Y-%m-%d %H:%M}\n"
        )
        if index == 0 and endorse:
            fields += "Endorsement: yes\n"
        elif index and rng.random() < 0.3:
            fields += f"Replyto: c{index - 1}\n"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"c{index}.md").write_text(f"{fields}\n{paragraph(rng, rng.randint(15, 60))}\n")
