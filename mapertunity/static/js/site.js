// Small behaviour every page shares, kept out of the templates: the Content Security
// Policy allows no inline scripts or event handlers.

// <form data-confirm="Delete this?">: ask before sending it.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (!window.confirm(form.dataset.confirm)) event.preventDefault();
});
