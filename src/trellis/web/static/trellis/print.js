// Buttons marked data-print print the page (no inline handlers: the content security policy forbids them).
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
