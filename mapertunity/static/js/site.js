// Small behaviour every page shares, kept out of the templates: the Content Security
// Policy allows no inline scripts or event handlers.

// <form data-confirm="Delete this?">: ask before sending it.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (!window.confirm(form.dataset.confirm)) event.preventDefault();
});

// A form sent for real stops autosaving (the signup's htmx drafts): a draft saved while
// the step itself is being saved would write the session back as it was before.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && !event.defaultPrevented) form.dataset.sent = "1";
});
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.target.closest("form");
  if (form && form.dataset.sent) event.preventDefault();
});
