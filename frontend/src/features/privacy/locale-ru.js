// Russian texts of children's privacy in evidence: consents and storage (the read log of a file is the sheets' own, features/forms).
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

  'privacy.storage.high': 'Место для фото и видео детского сада занято на {percent} % ({stored} из {quota} ГБ).',
  'privacy.storage.critical':
    'Место для фото и видео детского сада почти закончилось: занято {percent} % ({stored} из {quota} ГБ). Скоро новые файлы загрузить будет нельзя.',
};
