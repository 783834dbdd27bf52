import { mount } from 'svelte';
import App from './App.svelte';
import { loadBoot } from './api';
import './app.css';

loadBoot();

// Svelte 5: mount(), not `new App()` (a blank window otherwise).
const app = mount(App, { target: document.getElementById('app')! });

export default app;
