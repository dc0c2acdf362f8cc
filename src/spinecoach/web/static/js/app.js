// spinecoach: small behaviours every page shares. Our own code; no framework.
"use strict";

// HTMX requests carry the CSRF token as a header (forms also carry it as a field).
document.addEventListener("htmx:configRequest", (event) => {
  event.detail.headers["X-CSRF-Token"] = document.body.dataset.csrf || "";
});

document.addEventListener("DOMContentLoaded", () => {
  // "Go back" on an error page: the browser's Back keeps what was typed in the form (an inline
  // javascript: link would be blocked by our Content Security Policy).
  for (const link of document.querySelectorAll("[data-go-back]")) {
    link.addEventListener("click", (event) => {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  }

  const print = document.getElementById("print-report");
  if (print) print.addEventListener("click", () => window.print());

  // Mindful-pause reminders: a notification every two hours while a page of the app is open.
  // The choice is kept on this device (a setting, not health data), so it survives reloads.
  const pause = document.getElementById("pause-reminder");
  const status = document.getElementById("pause-status");
  if (pause && status) {
    const KEY = "spinecoach.mindful-pauses";
    let timer = null;
    const remind = () => {
      const words = "Time for a mindful pause: breathe out slowly and soften.";
      if ("Notification" in window && Notification.permission === "granted") {
        new Notification("spinecoach", { body: words });
      } else {
        status.textContent = words;
      }
    };
    const start = () => {
      timer = setInterval(remind, 2 * 60 * 60 * 1000);
      pause.setAttribute("aria-pressed", "true");
      status.textContent = "Reminders on while a page of spinecoach stays open on this device.";
    };
    const remembered = () => {
      try { return window.localStorage.getItem(KEY) === "on"; } catch { return false; }
    };
    const remember = (on) => {
      try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch { /* private mode */ }
    };
    if (remembered()) start();
    pause.addEventListener("click", async () => {
      if (timer) {
        clearInterval(timer);
        timer = null;
        remember(false);
        pause.setAttribute("aria-pressed", "false");
        status.textContent = "Reminders off.";
        return;
      }
      if ("Notification" in window && Notification.permission === "default") {
        await Notification.requestPermission();
      }
      remember(true);
      start();
    });
  }
});
