// Small progressive enhancements; every page works without this file.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // Send the CSRF token with every HTMX request.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });

  // The language changes as soon as one is chosen; the "Switch" button is for browsers without this file.
  document.querySelectorAll("select.js-autosubmit").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  // The navigation folds behind the "Menu" button under 768 px, and wherever the header's one row
  // cannot hold it (many entries, longer Dutch words): measured, not guessed from a width.
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("site-nav");
  const header = document.querySelector(".site-header");
  const brand = header ? header.querySelector(".brand") : null;
  const wrapped = () => {
    // On one row the navigation and the tools start level with the brand; wrapped, one starts below it.
    const below = brand.getBoundingClientRect().bottom - 2;
    return [nav, header.querySelector(".header-tools"), toggle].some(
      (part) => part && part.offsetParent !== null && part.getBoundingClientRect().top >= below,
    );
  };
  const fold = () => {
    if (!header || !nav || !brand) {
      return;
    }
    // Try the roomiest layout first: full navigation with the coop's name, then without the name
    // ("tight": the brand mark alone, still a labelled link home), then folded, then folded and tight.
    const narrow = window.matchMedia("(max-width: 767px)").matches;
    const layouts = narrow ? [["compact"], ["compact", "tight"]] : [[], ["tight"], ["compact"], ["compact", "tight"]];
    for (const classes of layouts) {
      header.classList.remove("compact", "tight");
      header.classList.add(...classes);
      if (!wrapped()) {
        break;
      }
    }
    if (!header.classList.contains("compact") && toggle.getAttribute("aria-expanded") === "true") {
      toggle.setAttribute("aria-expanded", "false");
      nav.classList.remove("open");
    }
  };
  if (toggle && nav) {
    toggle.hidden = false;
    fold();
    let pending = null;
    window.addEventListener("resize", () => {
      window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(fold);
    });
    if (document.fonts) {
      document.fonts.ready.then(fold);
    }
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
      if (open) {
        const first = nav.querySelector("a, summary");
        if (first) {
          first.focus();
        }
      }
    });
  }

  // Header menus are <details> (they open on click, Enter and Space without script): keep one open
  // at a time, move focus into an opened menu, close on Escape (focus back on its button) or a click elsewhere.
  const menus = Array.from(document.querySelectorAll(".site-header details.menu"));
  menus.forEach((menu) => {
    const summary = menu.querySelector("summary");
    summary.setAttribute("aria-haspopup", "true");
    menu.addEventListener("toggle", () => {
      if (menu.open) {
        menus.filter((other) => other !== menu).forEach((other) => { other.open = false; });
      }
    });
    summary.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        menu.open = true;
        const first = menu.querySelector(".menu-list a, .menu-list button");
        if (first) {
          first.focus();
        }
      }
    });
    menu.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") {
        return;
      }
      const items = Array.from(menu.querySelectorAll(".menu-list a, .menu-list button"));
      const at = items.indexOf(document.activeElement);
      if (at < 0) {
        return;
      }
      event.preventDefault();
      const next = event.key === "ArrowDown" ? (at + 1) % items.length : (at - 1 + items.length) % items.length;
      items[next].focus();
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
    if (toggle && toggle.getAttribute("aria-expanded") === "true" && nav.contains(document.activeElement)) {
      toggle.click();
      toggle.focus();
    }
  });
  document.addEventListener("click", (event) => {
    menus.filter((menu) => menu.open && !menu.contains(event.target)).forEach((menu) => { menu.open = false; });
  });

  // Search filters start folded on a phone, so the results are on the first screen.
  if (window.matchMedia("(max-width: 767px)").matches) {
    document.querySelectorAll("details.filters-fold").forEach((details) => {
      if (!details.hasAttribute("data-keep-open")) {
        details.open = false;
      }
    });
  }
});
