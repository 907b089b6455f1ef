// The parents' questionnaire behind a survey link (/s/<token>): a small page of its own,
// without the app's bundle. It loads the questionnaire from the public API, shows one
// question per row, checks the required ones, sends the answer and thanks. No login; the
// server gives the browser a random cookie so that it answers only once. The answers are
// kept in the browser (localStorage, per link) until the server has them, so a reload or a
// closed tab on a phone loses nothing; a bar over the form shows how many are answered.
'use strict';

(function () {
  var API = '/api/v1/public/surveys/';
  var app = document.getElementById('app');
  var token = (location.pathname.split('/')[2] || '').trim();
  var answers = {};
  var doc = null;
  var STORE = 'vsok.survey.' + token;
  var progressItems = [];

  /** The answers kept in this browser for this link ({} when none or storage is blocked). */
  function restore() {
    try {
      var kept = JSON.parse(localStorage.getItem(STORE) || 'null');
      return kept && typeof kept === 'object' && !Array.isArray(kept) ? kept : {};
    } catch (e) {
      return {};
    }
  }

  function keep() {
    try {
      localStorage.setItem(STORE, JSON.stringify(answers));
    } catch (e) {
      /* private mode or full: the answers stay on the page only */
    }
  }

  function forget() {
    try {
      localStorage.removeItem(STORE);
    } catch (e) {
      /* nothing kept */
    }
  }

  /** Every change: kept in the browser, and the bar moves. */
  function changed() {
    keep();
    showProgress();
  }

  function showProgress() {
    var bar = document.getElementById('progress-bar');
    var text = document.getElementById('progress-text');
    if (!bar || !text) return;
    var done = progressItems.filter(function (e) {
      return answers[e.item.code] !== undefined;
    }).length;
    bar.max = progressItems.length || 1;
    bar.value = done;
    text.textContent = 'Отвечено ' + done + ' из ' + progressItems.length;
  }

  var YES_NO = [
    ['yes', 'Да'],
    ['no', 'Нет'],
  ];
  var YES_NO_UNSURE = [
    ['yes', 'Да'],
    ['no', 'Нет'],
    ['unsure', 'Затрудняюсь ответить'],
  ];
  var LIKERT = [
    'Совершенно не согласен',
    'Скорее не согласен',
    'Отчасти согласен, отчасти нет',
    'Скорее согласен',
    'Полностью согласен',
  ];

  function ru(t) {
    if (t == null) return '';
    return typeof t === 'string' ? t : t.ru || '';
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (k === 'text') e.textContent = attrs[k];
        else if (k === 'class') e.className = attrs[k];
        else e.setAttribute(k, attrs[k]);
      }
    }
    (children || []).forEach(function (c) {
      if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  function clear() {
    while (app.firstChild) app.removeChild(app.firstChild);
  }

  /** A whole-page message: kind is thanks, closed, full, answered, offline, error. */
  function screen(kind, title, text, action) {
    clear();
    var box = el('section', { class: 'screen screen-' + kind, 'data-state': kind }, [
      el('h1', { text: title }),
      text ? el('p', { text: text }) : null,
    ]);
    if (action) box.appendChild(action);
    app.appendChild(box);
    box.querySelector('h1').setAttribute('tabindex', '-1');
    box.querySelector('h1').focus();
  }

  function retryButton(fn) {
    var b = el('button', { type: 'button', class: 'primary', text: 'Попробовать снова' });
    b.addEventListener('click', fn);
    return b;
  }

  function offline(fn, keep) {
    if (keep) {
      showBanner('Нет связи с интернетом. Ответы не потеряны: нажмите «Отправить», когда связь появится.');
      return;
    }
    screen('offline', 'Нет связи с интернетом', 'Проверьте подключение и попробуйте снова.', retryButton(fn));
  }

  function showBanner(text) {
    var b = document.getElementById('banner');
    if (!b) return;
    b.textContent = text;
    b.hidden = !text;
    if (text) b.scrollIntoView({ block: 'center' });
  }

  /** The refusal of the server as a screen (404, 409, 410, 429, 400). */
  function refusal(status, problem) {
    var detail = (problem && problem.detail) || '';
    var type = (problem && problem.type) || '';
    if (status === 404) return screen('error', 'Анкета не найдена', detail || 'Проверьте адрес ссылки или QR-код.');
    if (type.endsWith('/survey-full')) return screen('full', 'Анкета уже собрала все ответы', detail);
    if (status === 410) return screen('closed', 'Опрос завершён', detail);
    if (type.endsWith('/already-answered')) return screen('answered', 'Вы уже ответили', detail);
    if (status === 429)
      return screen('error', 'Слишком много запросов', 'Подождите минуту и попробуйте снова.', retryButton(load));
    return screen('error', 'Не удалось открыть анкету', detail || 'Попробуйте позже.', retryButton(load));
  }

  function readJson(res) {
    return res.text().then(function (t) {
      try {
        return t ? JSON.parse(t) : null;
      } catch (e) {
        return null;
      }
    });
  }

  function load() {
    if (!/^[0-9A-Za-z]{26}$/.test(token)) return refusal(404, null);
    fetch(API + encodeURIComponent(token), { credentials: 'same-origin', cache: 'no-store' })
      .then(function (res) {
        return readJson(res).then(function (body) {
          if (res.status !== 200) return refusal(res.status, body);
          doc = body;
          if (body.answered) {
            forget();
            return screen('answered', 'Вы уже ответили', 'С этого устройства ответ на анкету уже отправлен. Спасибо!');
          }
          render(body);
        });
      })
      .catch(function () {
        offline(load, false);
      });
  }

  // ---------------------------------------------------------------------------------
  // The form

  function items(q) {
    var out = [];
    (q.sections || []).forEach(function (s) {
      (s.indicators || []).forEach(function (i) {
        (i.items || []).forEach(function (it) {
          out.push({ item: it, section: s });
        });
      });
    });
    return out;
  }

  function choiceRow(item, choices, cls) {
    var row = el('div', { class: 'choices ' + cls, role: 'radiogroup' });
    choices.forEach(function (c) {
      var input = el('input', { type: 'radio', name: item.code, value: String(c[0]) });
      if (c[2]) input.setAttribute('aria-label', c[1] + ' — ' + c[2]);
      // the whole label takes the tap; the chosen one is marked by a class (no :has needed)
      var label = el('label', { class: 'choice' }, [input, el('span', { text: c[1] })]);
      input.addEventListener('change', function () {
        answers[item.code] = item.type === 'likert5' ? Number(c[0]) : c[0];
        markMissing(item.code, false);
        Array.prototype.forEach.call(row.querySelectorAll('.choice'), function (l) {
          l.classList.toggle('selected', l === label);
        });
        if (item.type === 'likert5') {
          var chosen = document.getElementById('chosen-' + item.code);
          if (chosen) chosen.textContent = c[2];
        }
        changed();
      });
      if (answers[item.code] !== undefined && String(answers[item.code]) === String(c[0])) {
        input.checked = true;
        label.classList.add('selected');
      }
      input.addEventListener('focus', function () {
        var keyboard = true;
        try {
          keyboard = input.matches(':focus-visible');
        } catch (e) {
          /* an older browser: always show the focus */
        }
        label.classList.toggle('focused', keyboard);
      });
      input.addEventListener('blur', function () {
        label.classList.remove('focused');
      });
      row.appendChild(label);
    });
    return row;
  }

  function question(entry, n) {
    var item = entry.item;
    var required = item.required === true;
    var box = el('fieldset', { class: 'question', id: 'item-' + item.code, 'data-code': item.code });
    box.appendChild(
      el('legend', {}, [
        el('span', { class: 'num', text: n + '. ' }),
        ru(item.text),
        required || /по желанию/i.test(ru(item.text)) ? null : el('span', { class: 'optional', text: ' (по желанию)' }),
      ]),
    );
    if (item.help) box.appendChild(el('p', { class: 'help', text: ru(item.help) }));
    var labels = item.labels ? item.labels.map(ru) : LIKERT;
    if (item.type === 'likert5') {
      box.appendChild(
        choiceRow(
          item,
          [1, 2, 3, 4, 5].map(function (v) {
            return [v, String(v), labels[v - 1]];
          }),
          'scale',
        ),
      );
      box.appendChild(
        el('div', { class: 'scale-ends', 'aria-hidden': 'true' }, [
          el('span', { text: '1 — ' + labels[0] }),
          el('span', { text: '5 — ' + labels[4] }),
        ]),
      );
      var kept = answers[item.code];
      box.appendChild(el('p', { class: 'chosen', id: 'chosen-' + item.code, text: kept ? labels[kept - 1] || '' : '' }));
    } else if (item.type === 'yes_no' || item.type === 'yes_no_unsure') {
      box.appendChild(choiceRow(item, item.type === 'yes_no' ? YES_NO : YES_NO_UNSURE, 'words'));
    } else if (item.type === 'single') {
      box.appendChild(
        choiceRow(
          item,
          (item.options || []).map(function (o) {
            return [o.code, ru(o.text)];
          }),
          'list',
        ),
      );
    } else if (item.type === 'number') {
      var num = el('input', { type: 'number', inputmode: 'decimal', id: 'q-' + item.code, 'aria-label': ru(item.text) });
      num.addEventListener('input', function () {
        if (num.value === '') delete answers[item.code];
        else answers[item.code] = Number(num.value);
        markMissing(item.code, false);
        changed();
      });
      if (typeof answers[item.code] === 'number') num.value = String(answers[item.code]);
      box.appendChild(num);
    } else {
      var area = el(item.type === 'text' ? 'input' : 'textarea', {
        id: 'q-' + item.code,
        maxlength: String(item.max_length || 2000),
        rows: '4',
        'aria-label': ru(item.text),
      });
      area.addEventListener('input', function () {
        if (area.value.trim() === '') delete answers[item.code];
        else answers[item.code] = area.value;
        changed();
      });
      if (typeof answers[item.code] === 'string') area.value = answers[item.code];
      box.appendChild(area);
    }
    box.appendChild(el('p', { class: 'error', id: 'error-' + item.code, hidden: 'hidden' }));
    return box;
  }

  function markMissing(code, message) {
    var box = document.getElementById('item-' + code);
    var err = document.getElementById('error-' + code);
    if (!box || !err) return;
    box.classList.toggle('missing', !!message);
    err.textContent = message || '';
    err.hidden = !message;
  }

  function render(body) {
    clear();
    var q = body.questionnaire || {};
    var place = body.kindergarten.name + (body.group ? ', ' + body.group.name : '');
    var header = el('header', { class: 'head' }, [
      el('p', { class: 'place', text: place }),
      el('h1', { text: ru(q.title) || 'Анкета для родителей' }),
      q.description ? el('p', { class: 'intro', text: ru(q.description) }) : null,
      /аноним/i.test(ru(q.description))
        ? null
        : el('p', { class: 'intro', text: 'Анкета анонимная: имя, телефон и адрес не спрашиваются и не сохраняются.' }),
    ]);
    app.appendChild(header);
    var form = el('form', { class: 'form', novalidate: 'novalidate' });
    var list = items(q);
    // Answers given earlier on this phone (a reload, a closed tab), for questions that exist.
    var kept = restore();
    answers = {};
    list.forEach(function (e) {
      if (kept[e.item.code] !== undefined) answers[e.item.code] = kept[e.item.code];
    });
    progressItems = list;
    app.appendChild(
      el('div', { class: 'progress', role: 'status' }, [
        el('progress', { id: 'progress-bar', 'aria-hidden': 'true' }),
        el('span', { id: 'progress-text' }),
      ]),
    );
    var lastSection = null;
    list.forEach(function (entry, i) {
      if (entry.section !== lastSection && entry.section.title) {
        form.appendChild(el('h2', { text: ru(entry.section.title) }));
        lastSection = entry.section;
      }
      form.appendChild(question(entry, i + 1));
    });
    var banner = el('p', { class: 'banner', id: 'banner', role: 'alert', hidden: 'hidden' });
    var send = el('button', { type: 'submit', class: 'primary submit', text: 'Отправить ответы' });
    form.appendChild(banner);
    form.appendChild(send);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      submit(list, send);
    });
    app.appendChild(form);
    showProgress();
  }

  function submit(list, button) {
    var missing = list.filter(function (e) {
      return e.item.required === true && answers[e.item.code] === undefined;
    });
    list.forEach(function (e) {
      markMissing(e.item.code, false);
    });
    if (missing.length) {
      missing.forEach(function (e) {
        markMissing(e.item.code, 'Выберите ответ на этот вопрос.');
      });
      showBanner('Ответьте, пожалуйста, на все вопросы без пометки «по желанию» (не хватает: ' + missing.length + ').');
      document.getElementById('item-' + missing[0].item.code).scrollIntoView({ block: 'center' });
      return;
    }
    showBanner('');
    button.disabled = true;
    button.textContent = 'Отправляем…';
    fetch(API + encodeURIComponent(token) + '/responses', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ answers: answers }),
    })
      .then(function (res) {
        return readJson(res).then(function (body) {
          if (res.status === 201) {
            forget();
            return screen('thanks', 'Спасибо!', 'Ваш ответ принят. Он поможет детскому саду стать лучше.');
          }
          if (res.status === 409 || res.status === 410) forget();
          button.disabled = false;
          button.textContent = 'Отправить ответы';
          if (res.status === 422 && body && body.errors) {
            body.errors.forEach(function (e) {
              markMissing(e.field, e.message);
            });
            showBanner(body.detail || 'Проверьте ответы.');
            return;
          }
          if (res.status === 400) return showBanner((body && body.detail) || 'Не удалось отправить ответ.');
          if (res.status === 429) return showBanner('Слишком много запросов. Подождите минуту и нажмите «Отправить» снова.');
          refusal(res.status, body);
        });
      })
      .catch(function () {
        button.disabled = false;
        button.textContent = 'Отправить ответы';
        offline(null, true);
      });
  }

  window.addEventListener('online', function () {
    var b = document.getElementById('banner');
    if (b && !b.hidden && /связи/.test(b.textContent)) showBanner('Связь появилась: можно отправить ответы.');
  });

  load();
})();
