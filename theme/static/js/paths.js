// Progress ticks on a reading path's page, kept in this browser (localStorage).
// Without this script, or where the browser keeps nothing, the page is complete: only the ticks are missing.

const path = document.querySelector(".path[data-path]");
const progress = path.querySelector(".path-progress");
const key = `casebook.path.${path.dataset.path}`;

function storage() {
  try {
    const probe = `${key}.probe`;
    localStorage.setItem(probe, "1");
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    return null; // storage switched off, or full: no ticks
  }
}

function readSlugs(store) {
  try {
    const saved = JSON.parse(store.getItem(key) || "[]");
    return new Set(Array.isArray(saved) ? saved : []);
  } catch {
    return new Set();
  }
}

const store = storage();
if (store) {
  const read = readSlugs(store);
  const stops = [...path.querySelectorAll(".path-stop[data-slug]")];

  function showProgress() {
    const done = stops.filter((stop) => read.has(stop.dataset.slug)).length;
    progress.textContent = `You have read ${done} of ${stops.length} entries (kept in this browser only).`;
  }

  for (const stop of stops) {
    const slug = stop.dataset.slug;
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = `read-${slug}`;
    box.checked = read.has(slug);
    box.addEventListener("change", () => {
      box.checked ? read.add(slug) : read.delete(slug);
      store.setItem(key, JSON.stringify([...read]));
      showProgress();
    });
    const label = document.createElement("label");
    label.htmlFor = box.id;
    label.className = "path-tick";
    const title = stop.querySelector(".path-stop-title").textContent.trim();
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = `(${title})`; // which entry, for screen readers
    label.append(box, " I have read this", hidden);
    stop.append(label);
  }
  showProgress();
  progress.hidden = false;
}
