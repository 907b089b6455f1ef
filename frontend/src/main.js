import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { startServiceWorker } from './lib/sw.js';

mount(App, { target: document.getElementById('app') });
startServiceWorker();
