// Registers the service worker (vite.config.js, Workbox): the app shell and the teacher's
// pages open with the network off. When a new version is installed it takes over at once
// and the page reloads on it, so that no tab keeps running code whose chunks are gone.
// Unsent answers and photos live in IndexedDB, so the reload loses nothing.
import { registerSW } from 'virtual:pwa-register';

export function startServiceWorker() {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const hadController = !!navigator.serviceWorker.controller;
  registerSW({
    immediate: true,
    // Look for a new version every hour on a tablet that stays open all day.
    onRegisteredSW(url, reg) {
      if (reg) setInterval(() => reg.update().catch(() => {}), 60 * 60 * 1000);
    },
  });
  // The first install only takes control (nothing to reload); later ones replace the code.
  if (hadController) {
    let reloading = false;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (reloading) return;
      reloading = true;
      location.reload();
    });
  }
}
