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
