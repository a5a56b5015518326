// Runs in <head> before the first paint: marks the page as scripted (the header folds its
// search box and menu behind buttons only then) and applies the theme the reader chose last
// time ("light" or "dark"; nothing stored means following the system).
(() => {
  const root = document.documentElement;
  root.classList.add('js');
  try {
    const theme = localStorage.getItem('cairn-theme');
    if (theme === 'light' || theme === 'dark') root.setAttribute('data-theme', theme);
  } catch (error) {
    // Storage can be unavailable (private mode, blocked cookies): follow the system setting.
  }
})();
