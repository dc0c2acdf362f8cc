// spinecoach: small behaviours every page shares. Our own code; no framework.
"use strict";

// HTMX requests carry the CSRF token as a header (forms also carry it as a field).
document.addEventListener("htmx:configRequest", (event) => {
  event.detail.headers["X-CSRF-Token"] = document.body.dataset.csrf || "";
});

document.addEventListener("DOMContentLoaded", () => {
  const print = document.getElementById("print-report");
  if (print) print.addEventListener("click", () => window.print());

  // Mindful-pause reminders: a notification every two hours while the page is open.
  const pause = document.getElementById("pause-reminder");
  const status = document.getElementById("pause-status");
  if (pause && status) {
    let timer = null;
    pause.addEventListener("click", async () => {
      if (timer) {
        clearInterval(timer);
        timer = null;
        pause.setAttribute("aria-pressed", "false");
        status.textContent = "Reminders off.";
        return;
      }
      if ("Notification" in window && Notification.permission === "default") {
        await Notification.requestPermission();
      }
      const remind = () => {
        const words = "Time for a mindful pause: breathe out slowly and soften.";
        if ("Notification" in window && Notification.permission === "granted") {
          new Notification("spinecoach", { body: words });
        } else {
          status.textContent = words;
        }
      };
      timer = setInterval(remind, 2 * 60 * 60 * 1000);
      pause.setAttribute("aria-pressed", "true");
      status.textContent = "Reminders on while this page stays open.";
    });
  }
});
