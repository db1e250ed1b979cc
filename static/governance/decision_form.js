// The new-proposal page: choosing a kind of decision shows its form at once. Without scripts the
// "Show the form" button does the same (a GET with ?type=...).
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    const select = form.querySelector("select");
    if (select) select.addEventListener("change", () => { if (select.value) form.submit(); });
  }
});
