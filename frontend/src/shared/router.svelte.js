// History-API router: the path (and the query string, for filters) is the state; nginx
// answers every non-API URL with index.html, so a reload anywhere works.

export const route = $state({ path: normalise(location.pathname), search: location.search });

function normalise(p) {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

function split(target) {
  const i = target.indexOf('?');
  if (i < 0) return [normalise(target), ''];
  const q = target.slice(i + 1);
  return [normalise(target.slice(0, i)), q ? `?${q}` : ''];
}

/** Go to `path` (may carry a query string); `replace` keeps the history entry. */
export function navigate(path, { replace = false } = {}) {
  const [target, search] = split(path);
  if (target !== normalise(location.pathname) || search !== location.search) {
    history[replace ? 'replaceState' : 'pushState'](null, '', target + search);
  }
  route.path = target;
  route.search = search;
}

/** The query parameters of the current address. */
export function query() {
  return new URLSearchParams(route.search);
}

/** Replace the query string of the current page (filters), dropping empty values. */
export function setQuery(params, { replace = true } = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  navigate(route.path + (s ? `?${s}` : ''), { replace });
}

/**
 * Match the current path against a pattern such as `/units/:id`; numeric ids only.
 * Returns the parameters or null.
 */
export function match(pattern, path = route.path) {
  const a = pattern.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return null;
  const params = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) {
      if (!/^[1-9][0-9]{0,17}$/.test(b[i])) return null;
      params[a[i].slice(1)] = Number(b[i]);
    } else if (a[i] !== b[i]) return null;
  }
  return params;
}

addEventListener('popstate', () => {
  route.path = normalise(location.pathname);
  route.search = location.search;
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
  navigate(url.pathname + url.search);
}
