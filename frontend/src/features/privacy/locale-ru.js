// Russian texts of children's privacy in evidence: consents, the read log, storage.
export default {
  'privacy.consents.title': 'Согласия родителей',
  'privacy.consents.lead':
    'Согласие родителей каждой группы на фото- и видеосъёмку детей. Без записанного согласия файлы к анкетам группы не принимаются или принимаются с пометкой — как выберет детский сад.',
  'privacy.consents.group': 'Группа',
  'privacy.consents.state': 'Согласие',
  'privacy.consents.given': 'Есть, от {date}',
  'privacy.consents.refused': 'Нет (отказ от {date})',
  'privacy.consents.missing': 'Не записано',
  'privacy.consents.recordedBy': 'записал(а) {name}, {at}',
  'privacy.consents.record': 'Записать',
  'privacy.consents.consented': 'Родители согласны',
  'privacy.consents.date': 'Дата согласия',
  'privacy.consents.saved': 'Записано.',
  'privacy.consents.policy': 'Файлы к анкетам группы без согласия',
  'privacy.consents.refuse': 'не принимать',
  'privacy.consents.mark': 'принимать с пометкой',
  'privacy.consents.none': 'В детском саду нет групп.',
  'privacy.consents.readOnly': 'Записывает согласия координатор детского сада.',

  'privacy.reads.show': 'Кто смотрел',
  'privacy.reads.hide': 'Скрыть',
  'privacy.reads.title': 'Кто смотрел «{name}»',
  'privacy.reads.none': 'Файл ещё никто не открывал.',
  'privacy.reads.row': '{day}: {name} — {n} раз(а)',

  'privacy.withoutConsent': 'Без согласия родителей',

  'privacy.storage.high': 'Место для фото и видео детского сада занято на {percent} % ({stored} из {quota} ГБ).',
  'privacy.storage.critical':
    'Место для фото и видео детского сада почти закончилось: занято {percent} % ({stored} из {quota} ГБ). Скоро новые файлы загрузить будет нельзя.',
};
