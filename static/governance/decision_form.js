// The new-proposal page: choosing a kind of decision shows its form at once. Without scripts the
// "Show the form" button does the same (a GET with ?type=...).
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    const select = form.querySelector("select");
    if (select) select.addEventListener("change", () => { if (select.value) form.submit(); });
  }

  // A decision whose type shows what it would do (the surplus policy's allocation on last year's
  // figures) re-renders that preview as the member edits, from the same server code as the
  // "Preview" button, which stays for browsers without scripts.
  for (const form of document.querySelectorAll("form[data-live-preview]")) {
    const slot = form.querySelector("[data-preview-slot]");
    if (!slot) continue;
    let timer = null;
    let latest = 0;
    const refresh = async () => {
      const ticket = ++latest;
      const data = new FormData(form);
      data.set("preview", "1");
      try {
        const response = await fetch(form.action || window.location.href, {
          method: "POST",
          body: data,
          headers: { "X-Decision-Preview": "1" },
          credentials: "same-origin",
        });
        if (response.ok && ticket === latest) slot.innerHTML = await response.text();
      } catch (error) {
        // Offline or refused: the Preview button still works.
      }
    };
    const later = () => { clearTimeout(timer); timer = setTimeout(refresh, 500); };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }
});
