// Casebook's archive search, on Pagefind's JS API. Without this script the
// archive page is the complete chronological list, so nothing is lost.
// The state lives in the address (?q=...&tag=...&sort=newest): searches can
// be bookmarked and shared. The page draws the search box, the status line and
// the filter panel itself, so nothing moves when Pagefind has loaded.

const FACETS = [
  { key: "tag", label: "Tag" },
  { key: "author", label: "Author" },
  { key: "year", label: "Year" },
  { key: "channel", label: "Channel" },
  { key: "endorsed", label: "Endorsed", names: { yes: "Endorsed entries only" } },
];
// Pagefind 1.5 also searches metadata: the title counts most; dates and links are not words.
const RANKING = { metaWeights: { title: 5, tags: 2, author: 1, summary: 1, date: 0, tag_links: 0 } };
const FEW = 3; // a search that finds fewer than this may be misspelt: "did you mean" looks

const root = document.getElementById("search");
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const sort = document.getElementById("search-sort");
const panel = document.getElementById("search-filter-panel");
const toggle = document.getElementById("search-filters-toggle");
const filtersBox = document.getElementById("search-filters");
const chips = document.getElementById("search-chips");
const suggestion = document.getElementById("search-suggestion");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const archive = document.getElementById("archive-list");
const more = document.getElementById("search-more");

const PAGE_SIZE = 10; // each result shown costs a fragment download: fetch them as the reader asks

let pagefind;
let loaded = null; // the entry file of the index Pagefind loaded (it names the index's files)
let edits = {}; // in the preview: the entries saved since that index was made (see withEdits)
let loads = 0;
let checking = null; // the check of which index is served, under way: searches share it
let chosen = {}; // facet key -> values chosen, as in the address
let latest = 0; // only the newest search may draw its results
let found = null; // the current search, for "Show more results"
let vocabulary = null; // the journal's words, fetched the first time a search finds little

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function valueName(facet, value) {
  return (facet.names || {})[value] || value;
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  sort.value = params.get("sort") === "newest" ? "newest" : "";
  chosen = {};
  for (const facet of FACETS) {
    const values = params.getAll(facet.key);
    if (values.length) chosen[facet.key] = values;
  }
}

function writeAddress() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const [key, values] of Object.entries(chosen)) values.forEach((v) => params.append(key, v));
  if (sort.value) params.set("sort", sort.value);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function choose(key, value, on) {
  const values = new Set(chosen[key] || []);
  if (on) values.add(value);
  else values.delete(value);
  if (values.size) chosen[key] = [...values];
  else delete chosen[key];
}

// The filters: only the values the current results have, with their counts; a chosen value
// stays (at 0) so that it can be unticked. Drawn again after each search.
function drawFilters(counts) {
  const focused = document.activeElement;
  const refocus = filtersBox.contains(focused) ? `${focused.name}\n${focused.value}` : null;
  const fieldsets = [];
  for (const facet of FACETS) {
    const available = counts[facet.key] || {};
    const values = Object.keys(available)
      .filter((value) => available[value] > 0 || (chosen[facet.key] || []).includes(value))
      .sort((a, b) => (facet.key === "year" ? b.localeCompare(a) : a.localeCompare(b)));
    if (!values.length) continue;
    const fieldset = element("fieldset", { class: "search-facet" }, element("legend", {}, facet.label));
    for (const value of values) {
      const box = element("input", { type: "checkbox", name: facet.key, value });
      box.checked = (chosen[facet.key] || []).includes(value);
      const count = element("span", { class: "count" }, `(${available[value] || 0})`);
      fieldset.append(element("label", {}, box, " ", valueName(facet, value), " ", count));
    }
    fieldsets.push(fieldset);
  }
  filtersBox.replaceChildren(...fieldsets);
  if (!fieldsets.length) filtersBox.append(element("p", { class: "count" }, "No filters for these results."));
  if (refocus) {
    const [name, value] = refocus.split("\n");
    const same = [...filtersBox.querySelectorAll("input")].find((box) => box.name === name && box.value === value);
    (same || input).focus();
  }
}

// Each chosen filter as a chip above the results: a button that removes it.
function drawChips() {
  const items = [];
  for (const facet of FACETS) {
    for (const value of chosen[facet.key] || []) {
      const button = element("button", { type: "button", class: "chip", "aria-label": `Remove filter ${facet.label}: ${valueName(facet, value)}` },
        `${facet.label}: ${valueName(facet, value)}`, element("span", { "aria-hidden": "true" }, " ×"));
      button.addEventListener("click", () => {
        const next = button.closest("li").nextElementSibling || button.closest("li").previousElementSibling;
        choose(facet.key, value, false);
        search().then(() => {
          const again = next && chips.querySelector(`[aria-label="${next.querySelector("button").getAttribute("aria-label")}"]`);
          (again || input).focus();
        });
      });
      items.push(element("li", {}, button));
    }
  }
  chips.replaceChildren(...items);
  chips.hidden = !items.length;
}

const longDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

function tagLinks(meta) {
  try {
    return JSON.parse(meta.tag_links || "[]");
  } catch {
    return [];
  }
}

function resultItem(data, term) {
  const meta = data.meta;
  const link = element("a", { href: data.url });
  link.textContent = meta.title || data.url;
  const facts = element("p", { class: "entry-meta" });
  if (meta.date) facts.append(element("time", { datetime: meta.date }, longDate.format(new Date(meta.date))));
  if (meta.author) facts.append(" · by ", meta.author);
  if ((data.filters.endorsed || []).includes("yes")) {
    facts.append(" ", element("span", { class: "badge badge-endorsed" }, "Endorsed"));
  }
  const excerpt = element("p", { class: "search-excerpt" });
  if (term) excerpt.innerHTML = data.excerpt; // Pagefind's escaped text, <mark> around the matches
  else excerpt.textContent = meta.summary || "";
  const tags = element("ul", { class: "tags", "aria-label": "Tags" });
  for (const [name, url] of tagLinks(meta)) {
    tags.append(element("li", {}, element("a", { href: url, rel: "tag" }, name)));
  }
  return element("li", { class: "entry-card" },
    element("article", {}, element("h2", { class: "entry-card-title" }, link), facts, excerpt, tags));
}

function busy(state) {
  if (state) results.setAttribute("aria-busy", "true");
  else results.removeAttribute("aria-busy");
}

function pagefindFilters() {
  return Object.fromEntries(Object.entries(chosen).map(([key, values]) => [key, { any: values }]));
}

async function search() {
  const ticket = ++latest;
  busy(true);
  writeAddress();
  drawChips();
  await current();
  if (ticket !== latest) return;
  const term = input.value.trim();
  const browsing = !term && !Object.keys(chosen).length;
  archive.hidden = !browsing;
  results.hidden = browsing;
  more.hidden = true;
  suggestion.hidden = true;
  if (browsing) {
    const counts = await allFilters();
    if (ticket !== latest) return;
    status.textContent = "Search, or pick a filter; every entry is listed below.";
    results.replaceChildren();
    drawFilters(counts);
    busy(false);
    return;
  }
  const options = { filters: pagefindFilters(), sort: sort.value === "newest" || !term ? { date: "desc" } : undefined };
  const outcome = await find(term || null, options);
  if (ticket !== latest || !outcome) return;
  found = { outcome, term, shown: 0 };
  results.replaceChildren();
  drawFilters(outcome.filters);
  await showMore(ticket);
  if (term && outcome.results.length < FEW) suggest(term, outcome.results.length, ticket);
}

async function showMore(ticket = latest) {
  const { outcome, term } = found;
  const next = outcome.results.slice(found.shown, found.shown + PAGE_SIZE);
  const pages = await Promise.all(next.map((result) => result.data()));
  if (ticket !== latest) return;
  const items = pages.map((data) => resultItem(data, term));
  results.append(...items);
  found.shown += items.length;
  const n = outcome.results.length;
  const what = term ? ` for “${term}”` : "";
  status.textContent = n ? `${n} ${n === 1 ? "entry" : "entries"} found${what}${n > found.shown ? `, showing ${found.shown}` : ""}.`
    : `No entries found${what}. Try other words or fewer filters.`;
  more.hidden = found.shown >= n;
  if (items.length && ticket === latest && found.shown > PAGE_SIZE) items[0].querySelector("a").focus();
  busy(false);
}

// "Did you mean": Pagefind has no typo tolerance, so a misspelt word finds nothing. Each query
// word the journal does not have is replaced by the closest word it has (fewest edits, a
// swap of two letters counting as one; the more frequent word on a tie). The suggestion is
// shown only if it finds more than the query did.
function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = null;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j], before[j - 2] + 1);
      }
      best = Math.min(best, row[j]);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

function closestWord(word, words) {
  const limit = word.length <= 4 ? 1 : 2;
  let best = null;
  let bestDistance = limit + 1;
  for (const candidate of words) { // most frequent first: a later word must be strictly closer
    if (candidate.startsWith(word)) return word; // Pagefind finds words by their beginning
    const d = distance(word, candidate, Math.min(limit, bestDistance - 1));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

async function loadVocabulary() {
  vocabulary ||= fetch(root.dataset.words).then((response) => {
    if (!response.ok) throw new Error(`${root.dataset.words}: ${response.status}`);
    return response.json();
  }).then((file) => file.words);
  return vocabulary;
}

function suggestedQuery(term, words) {
  const known = new Set(words);
  let changed = false;
  const suggested = term.toLowerCase().split(/\s+/).filter(Boolean).map((word) => {
    if (!/^\p{L}+$/u.test(word) || word.length < 3 || known.has(word)) return word;
    const closest = closestWord(word, words);
    if (!closest || closest === word) return word;
    changed = true;
    return closest;
  });
  return changed ? suggested.join(" ") : null;
}

async function suggest(term, count, ticket) {
  let words;
  try {
    words = await loadVocabulary();
  } catch (error) {
    vocabulary = null; // try again on the next search
    console.warn("Casebook search: no suggestions,", error);
    return;
  }
  const started = performance.now();
  const better = suggestedQuery(term, words);
  performance.measure("casebook: closest words", { start: started }); // for benchmark/archive.py
  if (!better || ticket !== latest) return;
  const outcome = await find(better, { filters: pagefindFilters() });
  if (ticket !== latest || !outcome || outcome.results.length <= count) return;
  const params = new URLSearchParams(location.search);
  params.set("q", better);
  const link = element("a", { href: `?${params}` }, better);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    input.value = better;
    search();
    input.focus();
  });
  const n = outcome.results.length;
  suggestion.replaceChildren("Did you mean ", link, `? (${n} ${n === 1 ? "entry" : "entries"})`);
  suggestion.hidden = false;
}

let timer;

// On a narrow screen the filters wait behind the "Filters" button, so the results come first.
function showFilters(open) {
  panel.classList.toggle("open", open);
  toggle.setAttribute("aria-expanded", String(open));
}

async function find(term, options) {
  const outcome = await pagefind.search(term, options);
  return outcome && edits.replaced ? withEdits(outcome, options.sort) : outcome;
}

async function allFilters() {
  const counts = await pagefind.filters();
  for (const filters of Object.values(edits.replaced || {})) uncount(counts, filters);
  return counts;
}

// The preview's edits (plugins/casebook/tools/search_edits.py): the entries saved since the index
// was made are in a small index merged over it. The big index's older copies of them are left
// out, results and counts; and as each index numbers its pages by date on its own, a search
// sorted by date places the new copies where the preview says they stand.
function withEdits(outcome, sort) {
  for (const result of outcome.results) {
    if (result.id in edits.replaced) uncount(outcome.filters, edits.replaced[result.id]);
  }
  outcome.results = outcome.results.filter((result) => !(result.id in edits.replaced));
  if (sort?.date) {
    for (const result of outcome.results) {
      const place = (edits.dated || {})[result.id];
      if (place !== undefined) result.score = sort.date === "asc" ? -place : place;
    }
    outcome.results.sort((a, b) => b.score - a.score);
  }
  return outcome;
}

function uncount(counts, filters) {
  for (const [key, values] of Object.entries(filters)) {
    for (const value of values) if (counts[key]?.[value]) counts[key][value]--;
  }
}

// A newer index (the journal published again, or the preview's search catching up) names its
// files anew and the old ones go: a Pagefind loaded before would ask for files that are gone, and
// find nothing. So each search first asks which index is served, and loads it if it is another
// (true then: results found before belong to the index gone).
function current() {
  checking ||= loadPagefind().finally(() => { checking = null; });
  return checking;
}

async function served(address) {
  const response = await fetch(address, { cache: "no-store" });
  if (!response.ok) throw new Error(`${address}: ${response.status}`);
  return response.text();
}

async function loadPagefind() {
  const index = await served(`${root.dataset.bundle}pagefind-entry.json`);
  const saved = root.dataset.edits ? await served(root.dataset.edits) : "{}";
  if (index + saved === loaded) return false;
  if (pagefind) await pagefind.destroy();
  vocabulary = null; // the journal's words changed with it
  pagefind = await import(`${root.dataset.bundle}pagefind.js?${++loads}`); // a module of its own
  const options = { baseUrl: root.dataset.baseUrl, excerptLength: 24, ranking: RANKING };
  await pagefind.options(options);
  await pagefind.init();
  edits = JSON.parse(saved);
  if (edits.bundle) await pagefind.mergeIndex(edits.bundle, options);
  await pagefind.filters(); // loads the filter files: searches then count their results by filter
  loaded = index + saved;
  return true;
}

async function start() {
  readAddress();
  // What the address asks for is known now: hide the list it would replace before Pagefind loads.
  archive.hidden = Boolean(input.value.trim() || Object.keys(chosen).length);
  // The page is usable at once: what is typed while Pagefind loads is searched when it has.
  const ready = current();
  const searchWhenReady = () => ready.then(search);
  form.addEventListener("submit", (event) => { event.preventDefault(); searchWhenReady(); });
  input.addEventListener("input", () => {
    latest++; // a search under way would draw results for words no longer in the box
    busy(true);
    suggestion.hidden = true; // it was for the words before
    clearTimeout(timer);
    timer = setTimeout(searchWhenReady, 120);
  });
  sort.addEventListener("change", searchWhenReady);
  filtersBox.addEventListener("change", (event) => {
    choose(event.target.name, event.target.value, event.target.checked);
    search();
  });
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    showFilters(open);
    if (open) (filtersBox.querySelector("input") || panel).focus();
  });
  more.addEventListener("click", async () => {
    busy(true);
    if (await current()) search(); // the results shown so far are the old index's: search anew
    else showMore();
  });
  await ready;
  await search();
  root.dataset.ready = "";
}

start().catch((error) => {
  // Leave the complete list in place and say why there is no search.
  root.classList.add("search-unavailable");
  results.hidden = true;
  archive.hidden = false;
  busy(false);
  console.warn("Casebook search is unavailable:", error);
});
