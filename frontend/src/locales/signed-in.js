// The dictionaries of the signed-in features, a chunk of their own fetched with the first
// page after sign-in (loadDictionaries() in shared/i18n.svelte.js): the sign-in page needs
// only entry.js. A new feature adds its locale-ru.js / locale-en.js here.
import { join } from './join.js';
import homeRu from '../features/home/locale-ru.js';
import homeEn from '../features/home/locale-en.js';
import orgRu from '../features/org/locale-ru.js';
import orgEn from '../features/org/locale-en.js';
import importRu from '../features/import/locale-ru.js';
import importEn from '../features/import/locale-en.js';
import auditRu from '../features/audit/locale-ru.js';
import auditEn from '../features/audit/locale-en.js';
import formsRu from '../features/forms/locale-ru.js';
import formsEn from '../features/forms/locale-en.js';
import profileRu from '../features/profile/locale-ru.js';
import profileEn from '../features/profile/locale-en.js';
import plansRu from '../features/plans/locale-ru.js';
import plansEn from '../features/plans/locale-en.js';
import surveyRu from '../features/survey/locale-ru.js';
import surveyEn from '../features/survey/locale-en.js';
import stagesRu from '../features/stages/locale-ru.js';
import stagesEn from '../features/stages/locale-en.js';
import expertsRu from '../features/experts/locale-ru.js';
import expertsEn from '../features/experts/locale-en.js';
import privacyRu from '../features/privacy/locale-ru.js';
import privacyEn from '../features/privacy/locale-en.js';
import analysisRu from '../features/analysis/locale-ru.js';
import analysisEn from '../features/analysis/locale-en.js';

export default join([
  { ru: homeRu, en: homeEn },
  { ru: orgRu, en: orgEn },
  { ru: importRu, en: importEn },
  { ru: auditRu, en: auditEn },
  { ru: formsRu, en: formsEn },
  { ru: profileRu, en: profileEn },
  { ru: plansRu, en: plansEn },
  { ru: surveyRu, en: surveyEn },
  { ru: stagesRu, en: stagesEn },
  { ru: expertsRu, en: expertsEn },
  { ru: privacyRu, en: privacyEn },
  { ru: analysisRu, en: analysisEn },
]);
