// The dashboards' dictionaries travel in the dashboards' chunk and join the app's when it
// is loaded.
import { extend } from '../../shared/i18n.svelte.js';
import ru from './locale-ru.js';
import en from './locale-en.js';

extend({ ru, en });
