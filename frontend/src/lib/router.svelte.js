// History-API router: the path is the state; nginx answers every non-API URL with
// index.html, so a reload anywhere works.

export const route = $state({ path: normalise(location.pathname) });

function normalise(p) {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

export function navigate(path, { replace = false } = {}) {
  const target = normalise(path);
  if (target !== normalise(location.pathname)) {
    history[replace ? 'replaceState' : 'pushState'](null, '', target);
  }
  route.path = target;
}

addEventListener('popstate', () => {
  route.path = normalise(location.pathname);
});

/** Click handler for in-app links: plain clicks on same-origin <a> go through navigate(). */
export function interceptLinks(event) {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest?.('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (url.hash && url.pathname === location.pathname) return; // in-page anchor
  event.preventDefault();
  navigate(url.pathname);
}
