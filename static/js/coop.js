// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Send the CSRF token with every HTMX request.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });

  // Header menus are <details>: keep one open at a time, close on Escape or a click elsewhere.
  const menus = Array.from(document.querySelectorAll(".site-header details"));
  menus.forEach((menu) => {
    menu.addEventListener("toggle", () => {
      if (menu.open) {
        menus.filter((other) => other !== menu).forEach((other) => { other.open = false; });
      }
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    menus.filter((menu) => menu.open).forEach((menu) => {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", (event) => {
    menus.filter((menu) => menu.open && !menu.contains(event.target)).forEach((menu) => { menu.open = false; });
  });
});
