// Keep the newest message in view when the thread loads or HTMX refreshes it.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("messages");
  if (!box) {
    return;
  }
  const toBottom = () => { box.scrollTop = box.scrollHeight; };
  toBottom();
  box.addEventListener("htmx:afterSwap", toBottom);
});

// "x of y characters" under each text box with a limit, updated as the person types and read out
// politely by screen readers. Without the script the browser's maxlength still holds the limit.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("textarea[maxlength][data-count-text]").forEach((box) => {
    const max = Number(box.getAttribute("maxlength"));
    const hint = document.createElement("p");
    hint.className = "char-count";
    hint.id = `${box.id || box.name}-count`;
    hint.setAttribute("aria-live", "polite");
    const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
    const show = () => {
      hint.textContent = box.dataset.countText
        .replace("{count}", number.format(box.value.length))
        .replace("{max}", number.format(max));
      hint.classList.toggle("char-count-near", box.value.length > max * 0.9);
    };
    box.insertAdjacentElement("afterend", hint);
    const described = box.getAttribute("aria-describedby");
    box.setAttribute("aria-describedby", described ? `${described} ${hint.id}` : hint.id);
    show();
    box.addEventListener("input", show);
  });
});
