// The dictionaries of the reports and targets pages, added when their chunk loads.
import { extend } from '../../shared/i18n.svelte.js';
import ru from './locale-ru.js';
import en from './locale-en.js';

extend({ ru, en });
