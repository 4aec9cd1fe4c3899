"""Previous, next and related entries, and the search vocabulary: fast component tests, no site
build (indexes/read_next.py, indexes/words.py)."""

from __future__ import annotations

import datetime
import json
import random
from types import SimpleNamespace

from pelican.plugins.casebook.indexes import read_next
from pelican.plugins.casebook.indexes.read_next import place_read_next
from pelican.plugins.casebook.indexes.words import entry_words, vocabulary, write_vocabulary


def entry(slug: str, day: int, tags=(), text: str = "", endorsed: bool = False):
    return SimpleNamespace(
        slug=slug,
        title=slug.replace("-", " ").title(),
        url=f"{slug}/",
        date=datetime.datetime(2024, 1, 1) + datetime.timedelta(days=day),
        tags=[SimpleNamespace(slug=tag, name=tag) for tag in tags],
        _content=f"<p>{text}</p>",
        discussion=SimpleNamespace(endorsements=[object()] if endorsed else []),
    )


def placed(entries):
    place_read_next(entries, {e.slug: entry_words(e) for e in entries})
    return {e.slug: e.read_next for e in entries}


def slugs(entries) -> list[str]:
    return [e.slug for e in entries]


def test_previous_and_next_follow_the_dates_whatever_the_order_read():
    entries = [entry("c", 3), entry("a", 1), entry("b", 2), entry("b2", 2)]
    places = placed(entries)
    assert places["a"].previous is None and places["a"].next.slug == "b"
    assert places["b"].next.slug == "b2"  # same day: by address
    assert places["c"].next is None and places["c"].previous.slug == "b2"


def test_shared_tags_and_words_make_entries_related_rarest_first():
    entries = [
        entry("refund-one", 1, ["refunds", "deadlines"], "the bank refund arrived late"),
        entry("refund-two", 50, ["refunds", "deadlines"], "a refund promised by friday"),
        entry("refund-three", 9, ["refunds"], "refund again"),
        entry("tracking", 2, ["jargon"], "what a tracking number means"),
        entry("silence", 3, ["phone manner"], "the caller went quiet"),
    ]
    places = placed(entries)
    assert slugs(places["refund-one"].related)[:2] == ["refund-two", "refund-three"]
    assert "silence" not in slugs(places["refund-one"].related)  # nothing shared
    assert all(e.slug not in slugs(places[e.slug].related) for e in entries)


def test_the_same_journal_gives_the_same_related_entries():
    rng = random.Random(7)
    words = "refund tracking parcel caller silence chat widget queue counter desk".split()
    entries = [
        entry(
            f"e{n}",
            rng.randrange(400),
            rng.sample(["a", "b", "c", "d"], 2),
            " ".join(rng.choices(words, k=30)),
        )
        for n in range(120)
    ]
    first = {slug: slugs(place.related) for slug, place in placed(entries).items()}
    rng.shuffle(entries)
    assert {slug: slugs(place.related) for slug, place in placed(entries).items()} == first
    assert all(1 <= len(related) <= read_next.RELATED for related in first.values())


def test_a_tag_every_entry_has_costs_no_more_than_its_neighbours(monkeypatch):
    """Each entry is compared with at most NEIGHBOURS entries per tag or word: linear, not n²."""
    monkeypatch.setattr(read_next, "NEIGHBOURS", 4)
    entries = [entry(f"e{n:03}", n, ["everyone"]) for n in range(100)]
    places = placed(entries)
    # Only the nearest in date can be related, because only they were compared.
    assert set(slugs(places["e050"].related)) <= {"e048", "e049", "e051", "e052"}
    assert slugs(places["e000"].related) == ["e001", "e002", "e003"]


def test_shown_names_what_the_page_draws_of_other_entries():
    entries = [entry("a", 1, ["x"], "word"), entry("b", 2, ["x"], "word", endorsed=True)]
    shown = placed(entries)["a"].shown()
    assert shown[0] is None  # no previous
    assert shown[1] == ("B", "b/", "2024-01-03T00:00:00", True)
    assert shown[2] == shown[1]  # related too


def test_the_vocabulary_is_every_word_most_frequent_first(tmp_path):
    counts = [
        entry_words(entry("a", 1, text="Refund refund, the <b>parcel</b> &amp; 42 x"))
        for _ in range(2)
    ]
    counts.append(entry_words(entry("b", 2, text="tracking numbers mean parcels")))
    words = vocabulary(counts)
    assert words[:2] == ["refund", "parcel"]  # four times, then two (and before "the": a-z)
    assert "amp" not in words and "42" not in words and "x" not in words  # markup, digits, short
    assert {"tracking", "numbers", "parcels"} <= set(words)
    write_vocabulary(tmp_path / "search" / "words.json", words)
    assert json.loads((tmp_path / "search" / "words.json").read_text()) == {"words": words}


def test_the_best_related_are_those_of_a_full_ranking():
    """best() ranks only the entries scoring about as much as the fifth best: the same five as
    ranking them all (score to 9 decimals, then nearness in date, then the older)."""
    assert read_next.best({1: 2.0, 9: 2.0 + 1e-12, 4: 1.0, 6: 1.0, 3: 1.0, 7: 0.5, 8: 3.0}, 5) == [
        8,
        1,
        9,
        4,
        6,
    ]
    rng = random.Random(20)
    for _ in range(500):
        number = rng.randrange(60)
        scores = {
            other: rng.choice([1.0, 2.5, 3.0 + 1e-10, 3.0, 0.1 * rng.randrange(40)])
            for other in rng.sample(range(60), rng.randrange(1, 40))
            if other != number
        }
        ranked = sorted(
            scores, key=lambda other: (-round(scores[other], 9), abs(other - number), other)
        )
        assert read_next.best(scores, number) == ranked[: read_next.RELATED]
