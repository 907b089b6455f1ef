import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { startServiceWorker } from './shared/sw.js';

const target = document.getElementById('app');
target.replaceChildren(); // the static shell of index.html
mount(App, { target });
startServiceWorker();
