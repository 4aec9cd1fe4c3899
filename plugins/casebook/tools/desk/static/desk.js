// Casebook's writing desk (the local preview only): what JavaScript adds to forms that work without it.
// The entry form: the build's messages, the privacy scan and the preview as you type, and tag
// suggestions. The comment form: the endorse box only for a supervisor who did not write the entry.

const entry = document.getElementById("entry-form");
if (entry && !entry.dataset.live) {
  entry.dataset.live = "yes";
  let timer = null;
  let asked = 0;
  const check = async () => {
    const number = ++asked;
    const answer = await fetch("/write/check", {method: "POST", body: new FormData(entry)});
    if (!answer.ok || number !== asked) return;
    const found = await answer.json();
    for (const box of entry.querySelectorAll(".desk-live")) {
      box.replaceChildren();
      const name = box.dataset.field;
      for (const [kind, label, list] of [["desk-error", "Not saved: ", found.errors], ["desk-warning", "Check: ", found.warnings]]) {
        for (const text of list[name] || []) {
          const line = document.createElement("p");
          line.className = kind;
          const strong = document.createElement("strong");
          strong.textContent = label;
          line.append(strong, text);
          box.append(line);
        }
      }
    }
    for (const old of entry.querySelectorAll(".desk-field + .desk-error, .desk-field + .desk-warning, .desk-error + .desk-error, .desk-warning + .desk-warning, .desk-error + .desk-warning")) {
      old.remove();  // the messages of the last save: the live ones replace them
    }
    document.getElementById("preview").innerHTML = found.preview;
  };
  entry.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  entry.addEventListener("change", () => { clearTimeout(timer); check(); });

  // Tag suggestions: the known tags, after what is typed before the last comma.
  const tags = document.getElementById("tags");
  const known = [...document.querySelectorAll("#known-tags option")].map((option) => option.value);
  const suggest = () => {
    const typed = tags.value.split(",");
    const last = typed.pop().trim().toLowerCase();
    const before = typed.map((tag) => tag.trim()).filter(Boolean);
    const list = document.getElementById("known-tags");
    list.replaceChildren(...known
      .filter((tag) => !before.includes(tag) && tag.toLowerCase().includes(last))
      .map((tag) => {
        const option = document.createElement("option");
        option.value = [...before, tag].join(", ");
        option.label = tag;
        return option;
      }));
  };
  tags.addEventListener("input", suggest);
  suggest();
}

for (const form of document.querySelectorAll("form[data-supervisors]")) {
  const supervisors = form.dataset.supervisors.split("\n");
  const author = form.querySelector("select[name=author]");
  const box = form.querySelector(".desk-endorse");
  const show = () => {
    const may = supervisors.includes(author.value) && author.value !== form.dataset.entryAuthor;
    box.hidden = !may;
    if (!may) box.querySelector("input").checked = false;
  };
  author.addEventListener("change", show);
  show();
}
