// Casebook's archive search, on Pagefind's JS API. Without this script the
// archive page is the complete chronological list, so nothing is lost.
// The state lives in the address (?q=...&tag=...&sort=newest): searches can
// be bookmarked and shared.

const FACETS = [
  { key: "tag", label: "Tag" },
  { key: "author", label: "Author" },
  { key: "year", label: "Year" },
  { key: "channel", label: "Channel" },
  { key: "endorsed", label: "Endorsed", names: { yes: "Endorsed entries only" } },
];

const root = document.getElementById("search");
const form = root.querySelector("form");
const input = document.getElementById("search-input");
const sort = document.getElementById("search-sort");
const filtersBox = document.getElementById("search-filters");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const archive = document.getElementById("archive-list");
const more = document.getElementById("search-more");

const PAGE_SIZE = 10; // each result shown costs a fragment download: fetch them as the reader asks

let pagefind;
let latest = 0; // only the newest search may draw its results
let found = null; // the current search, for "Show more results"

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function selected() {
  const filters = {};
  for (const box of filtersBox.querySelectorAll("input:checked")) {
    (filters[box.name] ||= []).push(box.value);
  }
  return filters;
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  sort.value = params.get("sort") === "newest" ? "newest" : "";
  for (const box of filtersBox.querySelectorAll("input")) {
    box.checked = params.getAll(box.name).includes(box.value);
  }
}

function writeAddress() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const [key, values] of Object.entries(selected())) values.forEach((v) => params.append(key, v));
  if (sort.value) params.set("sort", sort.value);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function buildFilters(available) {
  for (const facet of FACETS) {
    const values = Object.keys(available[facet.key] || {}).sort((a, b) =>
      facet.key === "year" ? b.localeCompare(a) : a.localeCompare(b));
    if (!values.length) continue;
    const fieldset = element("fieldset", { class: "search-facet" }, element("legend", {}, facet.label));
    for (const value of values) {
      const box = element("input", { type: "checkbox", name: facet.key, value });
      const count = element("span", { class: "count", "data-count-for": `${facet.key}:${value}` });
      fieldset.append(element("label", {}, box, " ", (facet.names || {})[value] || value, " ", count));
    }
    filtersBox.append(fieldset);
  }
}

function showCounts(counts) {
  for (const span of filtersBox.querySelectorAll("[data-count-for]")) {
    const [key, value] = span.dataset.countFor.split(/:(.*)/s);
    span.textContent = `(${(counts[key] || {})[value] || 0})`;
  }
}

const longDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

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
  for (const tag of data.filters.tag || []) tags.append(element("li", {}, element("span", { class: "tag" }, tag)));
  return element("li", { class: "entry-card" },
    element("article", {}, element("h2", { class: "entry-card-title" }, link), facts, excerpt, tags));
}

function busy(state) {
  if (state) results.setAttribute("aria-busy", "true");
  else results.removeAttribute("aria-busy");
}

async function search() {
  const ticket = ++latest;
  busy(true);
  writeAddress();
  const term = input.value.trim();
  const filters = Object.fromEntries(Object.entries(selected()).map(([key, values]) => [key, { any: values }]));
  const browsing = !term && !Object.keys(filters).length;
  archive.hidden = !browsing;
  results.hidden = browsing;
  more.hidden = true;
  if (browsing) {
    status.textContent = "";
    const counts = await pagefind.filters();
    if (ticket === latest) { showCounts(counts); busy(false); }
    return;
  }
  const options = { filters, sort: sort.value === "newest" || !term ? { date: "desc" } : undefined };
  const outcome = await pagefind.search(term || null, options);
  if (ticket !== latest || !outcome) return;
  found = { outcome, term, shown: 0 };
  results.replaceChildren();
  showCounts(outcome.filters);
  await showMore(ticket);
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

let timer;
function searchSoon() {
  busy(true);
  clearTimeout(timer);
  timer = setTimeout(search, 120);
}

async function start() {
  pagefind = await import(`${root.dataset.bundle}pagefind.js`);
  await pagefind.options({ baseUrl: root.dataset.baseUrl, excerptLength: 24 });
  await pagefind.init();
  buildFilters(await pagefind.filters());
  readAddress();
  // On a phone the filters would push the results out of sight: fold them unless in use.
  const narrow = window.matchMedia("(max-width: 40rem)").matches;
  document.getElementById("search-filter-panel").open = !narrow || Object.keys(selected()).length > 0;
  root.hidden = false;
  form.addEventListener("submit", (event) => { event.preventDefault(); search(); });
  input.addEventListener("input", searchSoon);
  // Filters and order search at once; the box already searched as it was typed in
  // (its own change event, on leaving it, would start the results over).
  form.addEventListener("change", (event) => { if (event.target !== input) search(); });
  more.addEventListener("click", () => { busy(true); showMore(); });
  await search();
}

start().catch((error) => {
  // Leave the complete list in place and say why there is no search.
  root.hidden = true;
  archive.hidden = false;
  console.warn("Casebook search is unavailable:", error);
});
