// The dictionaries of the signed-in parts of the app, a chunk of their own: the sign-in
// page needs only ru.js and en.js (i18n.svelte.js, loadDictionaries()).
import formsRu from '../forms/locale-ru.js';
import formsEn from '../forms/locale-en.js';
import profileRu from '../profile/locale-ru.js';
import profileEn from '../profile/locale-en.js';
import plansRu from '../plans/locale-ru.js';
import plansEn from '../plans/locale-en.js';
import surveyRu from '../survey/locale-ru.js';
import surveyEn from '../survey/locale-en.js';
import stagesRu from '../stages/locale-ru.js';
import stagesEn from '../stages/locale-en.js';
import expertsRu from '../experts/locale-ru.js';
import expertsEn from '../experts/locale-en.js';
import privacyRu from '../privacy/locale-ru.js';
import privacyEn from '../privacy/locale-en.js';
import analysisRu from '../../features/analysis/locale-ru.js';
import analysisEn from '../../features/analysis/locale-en.js';

export default {
  ru: { ...formsRu, ...profileRu, ...plansRu, ...surveyRu, ...stagesRu, ...expertsRu, ...privacyRu, ...analysisRu },
  en: { ...formsEn, ...profileEn, ...plansEn, ...surveyEn, ...stagesEn, ...expertsEn, ...privacyEn, ...analysisEn },
};
