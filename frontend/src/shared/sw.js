// Registers the service worker (vite.config.js, Workbox's generateSW): the app shell and the
// teacher's pages open with the network off. When a new version is installed it takes over
// at once (skipWaiting, clientsClaim) and the page reloads on it, so that no tab keeps
// running code whose chunks are gone. Unsent answers and photos live in IndexedDB, so the
// reload loses nothing.
//
// Registered by hand rather than through workbox-window: the worker needs nothing from it
// beyond these lines, and its chunk would be one more request while a page's own code and
// data are still coming on a slow line. The registration waits for the page to load and
// the browser to be idle for the same reason (the precache fetches every teacher's page).
const SW_URL = '/sw.js';

function register() {
  navigator.serviceWorker.register(SW_URL, { scope: '/' }).then(
    // Look for a new version every hour on a tablet that stays open all day.
    (reg) => setInterval(() => reg.update().catch(() => {}), 60 * 60 * 1000),
    () => {}, // no worker (private mode, blocked): the app still runs online
  );
}

export function startServiceWorker() {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  // The first install only takes control (nothing to reload); later ones replace the code.
  if (navigator.serviceWorker.controller) {
    let reloading = false;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (reloading) return;
      reloading = true;
      location.reload();
    });
  }
  const idle = () => (window.requestIdleCallback ? requestIdleCallback(register, { timeout: 3000 }) : setTimeout(register, 1000));
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}
