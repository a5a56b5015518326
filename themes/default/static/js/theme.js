// Runs in <head> before the first paint: applies the theme the reader chose last time.
(function () {
  try {
    var theme = localStorage.getItem('cairn-theme');
    if (theme === 'light' || theme === 'dark') document.documentElement.setAttribute('data-theme', theme);
  } catch (e) {
    // Storage can be unavailable (private mode, blocked cookies): follow the system setting.
  }
})();
