// The dictionaries of the signed-in parts of the app, a chunk of their own: the sign-in
// page needs only ru.js and en.js (i18n.svelte.js, loadDictionaries()).
import formsRu from '../../features/forms/locale-ru.js';
import formsEn from '../../features/forms/locale-en.js';
import profileRu from '../../features/profile/locale-ru.js';
import profileEn from '../../features/profile/locale-en.js';
import plansRu from '../../features/plans/locale-ru.js';
import plansEn from '../../features/plans/locale-en.js';
import surveyRu from '../../features/survey/locale-ru.js';
import surveyEn from '../../features/survey/locale-en.js';
import stagesRu from '../../features/stages/locale-ru.js';
import stagesEn from '../../features/stages/locale-en.js';
import expertsRu from '../../features/experts/locale-ru.js';
import expertsEn from '../../features/experts/locale-en.js';
import privacyRu from '../../features/privacy/locale-ru.js';
import privacyEn from '../../features/privacy/locale-en.js';

export default {
  ru: { ...formsRu, ...profileRu, ...plansRu, ...surveyRu, ...stagesRu, ...expertsRu, ...privacyRu },
  en: { ...formsEn, ...profileEn, ...plansEn, ...surveyEn, ...stagesEn, ...expertsEn, ...privacyEn },
};
