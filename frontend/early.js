// Runs before the app's code has arrived: index.html loads it on its own, outside the bundle
// (the build writes it with the list of pages below: early-pages.js), so that it comes in
// the first wave of requests. On a slow line (400 kbit/s, 400 ms) every request that waits
// for the app's code costs a round trip more; here a browser that was signed in (the app's
// marker, src/shared/session.svelte.js) at once
//   - asks to resume its session (POST /auth/refresh),
//   - fetches the code, styles and words of the page opened, with the app's own code,
//   - on a sheet (/forms/ID), asks for the sheet, with its instrument when this device does
//     not keep it (the rule of fetchSheet() in src/features/forms/draft.svelte.js).
// The app takes the answers (Responses) from window.__vsokEarly, once each.
(() => {
  let lang;
  try {
    if (localStorage.getItem('vsok.session') !== '1') return;
    lang = localStorage.getItem('vsok.lang') || 'ru';
  } catch {
    return; // storage blocked: the app asks itself
  }
  const early = (window.__vsokEarly = {});
  const call = (method, path, token) =>
    fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { Accept: 'application/json, application/problem+json', ...(token && { Authorization: `Bearer ${token}` }) },
    });
  const ask = () => {
    const answer = call('POST', '/auth/refresh');
    try {
      preload();
    } catch {
      // only a head start: the app fetches the page's code itself
    }
    return answer;
  };
  // The refresh token rotates on every use: one refresh at a time across tabs, under the
  // same lock as the app's own.
  early.resume = navigator.locks?.request ? navigator.locks.request('vsok-auth-refresh', ask) : ask();

  const { files, words, pages } = __VSOK_PAGES__;
  function preload() {
    const page = pages.find((p) => new RegExp(p.path).test(location.pathname));
    if (!page) return;
    const link = (rel, href, as) => {
      const l = document.createElement('link');
      l.rel = rel;
      if (as) l.as = as;
      l.crossOrigin = '';
      l.href = href;
      document.head.appendChild(l);
    };
    const dictionaries = page.words.map((w) => words[w][lang]).filter((i) => i != null);
    for (const i of [...page.js, ...dictionaries]) link('modulepreload', files[i]);
    for (const i of page.css) link('preload', files[i], 'style');
  }

  // ids as the app's router reads them (src/shared/router.svelte.js): numbers
  const sheet = Number(/^\/forms\/([1-9][0-9]{0,17})$/.exec(location.pathname)?.[1]);
  if (!sheet) return;
  early.sheet = {
    id: sheet,
    asked: early.resume
      .then((res) => (res.ok ? res.clone().json() : null))
      .then(async (auth) => {
        const user = auth?.user?.id;
        if (!auth?.access_token || !user) return null;
        const withIns = !(await keeps(sheet, user));
        return { user, withIns, answer: call('GET', `/submissions/${sheet}${withIns ? '?with=instrument' : ''}`, auth.access_token) };
      })
      .catch(() => null),
  };

  // Whether this device keeps the user's copy of the sheet and its published instrument
  // (src/features/forms/idb.js); never creates the database.
  function keeps(id, user) {
    return new Promise((resolve) => {
      let rq;
      try {
        rq = indexedDB.open('vsok-forms');
      } catch {
        return resolve(false);
      }
      rq.onupgradeneeded = () => rq.transaction.abort(); // no database yet
      rq.onerror = rq.onblocked = () => resolve(false);
      rq.onsuccess = () => {
        const db = rq.result;
        const get = (store, key) =>
          new Promise((ok) => {
            try {
              const g = db.transaction(store).objectStore(store).get(key);
              g.onsuccess = () => ok(g.result);
              g.onerror = () => ok(null);
            } catch {
              ok(null);
            }
          });
        get('sheets', id)
          .then((rec) => (rec?.user_id === user && rec.sheet?.instrument?.id ? get('instruments', rec.sheet.instrument.id) : null))
          .then((ins) => resolve(!!ins?.definition && ins.status === 'published'))
          .finally(() => db.close());
      };
    });
  }
})();
