// Start Det Fælles Designsystem's components; no inline scripts anywhere (Content-Security-Policy).
document.documentElement.classList.remove("no-js");
if (window.DKFDS) {
  window.DKFDS.init();
}
