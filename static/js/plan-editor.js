// The milestone-plan editor (templates/marketplace/includes/plan_editor.html): add and remove rows,
// and a running total of the rows against the proposal's price, read out politely as it changes.
// Without this script the page still works: it offers spare rows and a "Remove" box per row.
(() => {
  const fill = (text, values) => Object.entries(values).reduce((out, [key, value]) => out.replace(`{${key}}`, value), text);

  // Amounts in cents, so that adding up never meets a float's rounding.
  const cents = (input) => {
    if (!input || input.value.trim() === "") {
      return null;
    }
    const number = Number(input.value.replace(",", "."));
    return Number.isFinite(number) ? Math.round(number * 100) : null;
  };

  const setUp = (editor) => {
    const prefix = editor.dataset.prefix;
    const rows = editor.querySelector("[data-plan-rows]");
    const template = editor.querySelector("[data-plan-template]");
    const totalForms = editor.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const output = editor.querySelector("[data-plan-total]");
    const addButton = editor.querySelector("[data-plan-add]");
    const price = document.getElementById(editor.dataset.totalField);
    const max = Number(editor.dataset.max) || 20;
    const money = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      style: "currency",
      currency: editor.dataset.currency || "EUR",
    });
    const show = (amount) => money.format(amount / 100);
    const liveRows = () => [...rows.querySelectorAll("[data-plan-row]")].filter((row) => !row.hidden);

    const renumber = () => {
      liveRows().forEach((row, index) => {
        const legend = row.querySelector(".plan-row-title");
        legend.textContent = fill(editor.dataset.textRow, { n: index + 1 });
      });
      addButton.disabled = liveRows().length >= max;
      refreshLabels();
    };

    const update = () => {
      const amounts = liveRows()
        .map((row) => cents(row.querySelector('input[name$="-amount"]')))
        .filter((amount) => amount !== null);
      const total = cents(price);
      output.classList.remove("plan-total-ok", "plan-total-off");
      if (!amounts.length) {
        output.textContent = editor.dataset.textNone;
        return;
      }
      const sum = amounts.reduce((a, b) => a + b, 0);
      if (total === null) {
        output.textContent = fill(editor.dataset.textSum, { sum: show(sum), total: "–" });
        return;
      }
      let verdict = editor.dataset.textMatch;
      if (sum < total) {
        verdict = fill(editor.dataset.textLeft, { left: show(total - sum) });
      } else if (sum > total) {
        verdict = fill(editor.dataset.textOver, { over: show(sum - total) });
      }
      output.textContent = `${fill(editor.dataset.textSum, { sum: show(sum), total: show(total) })} ${verdict}`;
      output.classList.add(sum === total ? "plan-total-ok" : "plan-total-off");
    };

    // The "Remove" box becomes a button: the row is marked for deletion and hidden.
    const wireRemove = (row) => {
      const box = row.querySelector('input[name$="-DELETE"]');
      const holder = row.querySelector("[data-plan-remove]");
      if (!box || !holder) {
        return;
      }
      [...holder.children].forEach((child) => { child.style.display = "none"; });
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button-small plan-remove-button";
      button.textContent = editor.dataset.textRemove;
      const title = row.querySelector(".plan-row-title");
      button.setAttribute("aria-label", `${editor.dataset.textRemove}: ${title ? title.textContent : ""}`);
      button.addEventListener("click", () => {
        box.checked = true;
        row.hidden = true;
        renumber();
        update();
        output.textContent = `${editor.dataset.textRemoved} ${output.textContent}`;
        addButton.focus();
      });
      holder.appendChild(button);
      if (box.checked) {
        row.hidden = true;
      }
    };

    function refreshLabels() {
      liveRows().forEach((row) => {
        const button = row.querySelector(".plan-remove-button");
        const title = row.querySelector(".plan-row-title");
        if (button && title) {
          button.setAttribute("aria-label", `${editor.dataset.textRemove}: ${title.textContent}`);
        }
      });
    }

    addButton.addEventListener("click", () => {
      if (liveRows().length >= max) {
        output.textContent = editor.dataset.textFull;
        return;
      }
      const index = Number(totalForms.value);
      const html = template.innerHTML.replaceAll("__prefix__", String(index));
      rows.insertAdjacentHTML("beforeend", html);
      totalForms.value = String(index + 1);
      const row = rows.lastElementChild;
      wireRemove(row);
      renumber();
      update();
      row.querySelector('input[name$="-title"]').focus();
    });

    rows.querySelectorAll("[data-plan-row]").forEach(wireRemove);
    rows.addEventListener("input", update);
    if (price) {
      price.addEventListener("input", update);
    }
    addButton.hidden = false;
    output.hidden = false;
    renumber();
    update();
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-plan-editor]").forEach(setUp);
  });
})();
