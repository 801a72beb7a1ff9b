// Buttons marked data-print print the page (the print style sheet hides the navigation).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
