// The application shell in a real browser on a touch tablet: sign-in, the home page,
// a session that survives a reload, sign-out, error messages and the language switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, TABLET_PORTRAIT, TABLET_LANDSCAPE, tablet, shot, whoIs, tapAndType, accountButton, openAccountMenu, ROLE_RU, useBrowser } from './support.mjs';

const held = useBrowser();

const isAuth = (suffix) => (r) => r.url() === `${BASE}/api/v1/auth/${suffix}` && r.request().method() === 'POST';

function loginForm(page) {
  return {
    login: page.getByLabel('Логин', { exact: true }),
    password: page.getByLabel('Пароль', { exact: true }),
    submit: page.getByRole('button', { name: 'Войти', exact: true }),
  };
}

/**
 * Tap "Войти" and return the login response. The API suite ends by exhausting the login
 * rate limit for this address; should it still be in force, wait and tap again.
 */
async function submitLogin(page) {
  for (let attempt = 0; ; attempt++) {
    const answer = page.waitForResponse(isAuth('login'));
    await loginForm(page).submit.tap();
    const response = await answer;
    if (response.status() !== 429 || attempt >= 3) return response;
    const wait = Math.min(Number(response.headers()['retry-after']) || 15, 60);
    await page.waitForTimeout(wait * 1000);
  }
}

async function signIn(page, login, password) {
  const form = loginForm(page);
  await tapAndType(page, form.login, login);
  await tapAndType(page, form.password, password);
  return submitLogin(page);
}

/** Buttons, fields and links smaller than a 44 px touch target, and sideways scrolling. */
async function touchProblems(page) {
  return page.evaluate(() => {
    const found = [...document.querySelectorAll('button, input, a')]
      .filter((el) => el.getClientRects().length > 0 && !el.classList.contains('skip'))
      .map((el) => ({ el: el.id || el.getAttribute('aria-label') || el.textContent.trim(), r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ el, r }) => `${el} ${Math.round(r.width)}×${Math.round(r.height)}`);
    if (document.documentElement.scrollWidth > innerWidth) found.push('page scrolls sideways');
    return found;
  });
}

test('teacher signs in by touch, stays signed in over a reload, signs out', async () => {
  const me = await whoIs('teacher');
  assert.ok(me.full_name && me.org_unit?.name, 'GET /me gives a name and an organisation');

  const { context, page, problems } = await tablet(held.browser);
  try {
    // Signed out: any address leads to the login page.
    await page.goto(`${BASE}/`);
    await page.waitForURL(`${BASE}/login`);
    const form = loginForm(page);
    await form.login.waitFor();
    await shot(page, 'login-portrait');

    // The show/hide control switches the password field between hidden and plain text.
    await tapAndType(page, form.login, 'teacher');
    await tapAndType(page, form.password, 'demo');
    assert.equal(await form.password.getAttribute('type'), 'password');
    await page.getByRole('button', { name: 'Показать пароль' }).tap();
    assert.equal(await form.password.getAttribute('type'), 'text');
    await page.getByRole('button', { name: 'Скрыть пароль' }).tap();
    assert.equal(await form.password.getAttribute('type'), 'password');

    const loginResponse = await submitLogin(page);
    assert.equal(loginResponse.status(), 200);
    const auth = await loginResponse.json();
    assert.ok(auth.access_token, 'the login answer carries an access token');

    // Home: the user's name, role in words, organisation and its level.
    const name = page.getByRole('heading', { level: 1, name: me.full_name });
    await name.waitFor();
    await page.waitForURL(`${BASE}/`);
    const main = page.locator('main');
    assert.ok((await main.innerText()).includes(me.org_unit.name), 'organisation name shown');
    assert.equal((await page.locator('main .role').innerText()).trim(), ROLE_RU[me.role]);
    assert.equal(await form.login.count(), 0, 'the login form is gone');
    await shot(page, 'home-portrait');
    assert.deepEqual(await touchProblems(page), [], 'home, portrait');
    await page.setViewportSize(TABLET_LANDSCAPE);
    await shot(page, 'home-landscape');
    assert.deepEqual(await touchProblems(page), [], 'home, landscape');
    await page.setViewportSize(TABLET_PORTRAIT);

    // The access token is kept in memory only, and the refresh cookie is httpOnly.
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
    );
    assert.ok(!stored.includes(auth.access_token), 'access token not in web storage');
    assert.ok(!stored.includes('vsok_refresh'), 'refresh cookie not readable from script');

    // A reload resumes the session through the refresh cookie.
    const refreshed = page.waitForResponse(isAuth('refresh'));
    await page.reload();
    assert.equal((await refreshed).status(), 200);
    await name.waitFor();
    assert.equal(page.url(), `${BASE}/`);

    // Sign out: back to the login page...
    const loggedOut = page.waitForResponse(isAuth('logout'));
    await openAccountMenu(page);
    await page.getByRole('button', { name: 'Выйти', exact: true }).tap();
    assert.ok((await loggedOut).ok());
    await form.login.waitFor();
    await page.waitForURL(`${BASE}/login`);
    assert.equal(await name.count(), 0, 'the name is gone');

    // ...and a reload stays signed out, without a "session ended" notice.
    const refused = page.waitForResponse(isAuth('refresh'));
    await page.reload();
    assert.equal((await refused).status(), 401);
    await form.login.waitFor();
    assert.equal(page.url(), `${BASE}/login`);
    assert.equal(await page.getByText(me.full_name).count(), 0);
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a wrong password shows the Russian message and keeps the login page', async () => {
  const { context, page, problems } = await tablet(held.browser);
  try {
    await page.goto(`${BASE}/login`);
    const form = loginForm(page);
    await form.login.waitFor();
    const answer = await signIn(page, 'expert', 'not-the-password');
    assert.equal(answer.status(), 401);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal((await alert.innerText()).trim(), 'Неверный логин или пароль');
    assert.equal(await form.password.getAttribute('aria-invalid'), 'true');
    assert.equal(page.url(), `${BASE}/login`);
    assert.ok(await form.submit.isEnabled(), 'the button is usable again');
    await shot(page, 'login-wrong-password');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the language switch turns the login page into English and is remembered', async () => {
  const { context, page, problems } = await tablet(held.browser);
  try {
    await page.goto(`${BASE}/login`);
    await loginForm(page).login.waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru');

    await page.getByRole('button', { name: 'English', exact: true }).tap();
    const login = page.getByLabel('Login', { exact: true });
    await login.waitFor();
    await page.getByLabel('Password', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    assert.equal(await page.getByLabel('Логин', { exact: true }).count(), 0, 'Russian label gone');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
    await shot(page, 'login-english');

    // The choice survives a reload.
    await page.reload();
    await login.waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');

    // And goes back.
    await page.getByRole('button', { name: 'Русский', exact: true }).tap();
    await loginForm(page).login.waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a session whose refresh cookie is gone ends with "Сеанс завершён"', async () => {
  const { context, page } = await tablet(held.browser);
  try {
    await page.goto(`${BASE}/login`);
    await loginForm(page).login.waitFor();
    await signIn(page, 'teacher', 'demo');
    await accountButton(page).waitFor();

    await context.clearCookies(); // as if the refresh token had expired or been revoked
    await page.reload();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal((await alert.innerText()).trim(), 'Сеанс завершён, войдите снова');
    assert.equal(page.url(), `${BASE}/login`);
  } finally {
    await context.close();
  }
});

test('an API call refused with 401 is retried once after a token refresh', async () => {
  // On a small phone this time, which also checks the signed-in header there.
  const { context, page } = await tablet(held.browser, { width: 360, height: 740 });
  try {
    await page.goto(`${BASE}/login`);
    await loginForm(page).login.waitFor();

    // The first API call after sign-in is answered 401, as if the access token had just
    // expired (sign-in itself brings the user, so it is whatever the home page asks first).
    let refused = null;
    let retried = 0; // asked again once the refresh has answered
    await page.route(/\/api\/v1\/(?!auth\/|me\/notifications)/, (route) => {
      const url = route.request().url();
      if (refused === null) {
        refused = url;
        return route.fulfill({
          status: 401,
          contentType: 'application/problem+json',
          body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401 }),
        });
      }
      if (url === refused && refreshes.length) retried++;
      return route.continue();
    });
    const refreshes = [];
    page.on('response', (r) => {
      if (isAuth('refresh')(r)) refreshes.push(r.status());
    });
    await signIn(page, 'teacher', 'demo');
    await accountButton(page).waitFor();
    assert.ok(refused, 'an API call after sign-in');
    for (let i = 0; i < 100 && !retried; i++) await page.waitForTimeout(100);
    assert.ok(retried >= 1, `${refused} asked again after the refresh`);
    assert.deepEqual(refreshes, [200], 'one refresh in between');
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.deepEqual(await touchProblems(page), [], 'home on a phone');
    await shot(page, 'home-phone');
  } finally {
    await context.close();
  }
});

test('no connection and rate limiting have their own messages', async () => {
  const { context, page } = await tablet(held.browser);
  try {
    await page.goto(`${BASE}/login`);
    await loginForm(page).login.waitFor();

    await page.route('**/api/v1/auth/login', (route) => route.abort('internetdisconnected'));
    const form = loginForm(page);
    await tapAndType(page, form.login, 'teacher');
    await tapAndType(page, form.password, 'demo');
    await form.submit.tap();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(
      (await alert.innerText()).trim(),
      'Нет связи с сервером. Проверьте подключение и попробуйте ещё раз.',
    );

    await page.unroute('**/api/v1/auth/login');
    // (answered after a pause, to see the button while the request is under way)
    await page.route('**/api/v1/auth/login', async (route) => {
      await new Promise((r) => setTimeout(r, 700));
      await route.fulfill({
        status: 429,
        contentType: 'application/problem+json',
        headers: { 'Retry-After': '60' },
        body: JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429 }),
      });
    });
    await form.submit.tap();
    const busy = page.getByRole('button', { name: 'Вход…', exact: true });
    assert.ok(await busy.isDisabled(), 'the button is disabled while signing in');
    await page.getByText('Слишком много попыток входа, подождите минуту').waitFor();
    assert.ok(await form.submit.isEnabled());
  } finally {
    await context.close();
  }
});

test('touch targets on the login page are at least 44 px', async () => {
  for (const viewport of [TABLET_PORTRAIT, TABLET_LANDSCAPE, { width: 375, height: 667 }]) {
    const { context, page } = await tablet(held.browser, viewport);
    try {
      await page.goto(`${BASE}/login`);
      await loginForm(page).login.waitFor();
      assert.deepEqual(await touchProblems(page), [], `at ${viewport.width}×${viewport.height}`);
      if (viewport.width === 375) await shot(page, 'login-phone');
    } finally {
      await context.close();
    }
  }
});
