// The dictionaries in the entry chunk: the shell's (header, menu, errors, roles, levels)
// and the sign-in pages' (features/account). Everything else comes later
// (signed-in.js, the dashboards' with their chunk).
import { join } from './join.js';
import shellRu from '../shell/locale-ru.js';
import shellEn from '../shell/locale-en.js';
import accountRu from '../features/account/locale-ru.js';
import accountEn from '../features/account/locale-en.js';

export default join([
  { ru: shellRu, en: shellEn },
  { ru: accountRu, en: accountEn },
]);
