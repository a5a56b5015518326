// Runs in <head> before the first paint: applies the theme the reader chose last time.
(() => {
  try {
    const theme = localStorage.getItem('cairn-theme');
    if (theme === 'light' || theme === 'dark') document.documentElement.setAttribute('data-theme', theme);
  } catch (error) {
    // Storage can be unavailable (private mode, blocked cookies): follow the system setting.
  }
})();
