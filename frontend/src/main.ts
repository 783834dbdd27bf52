import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

// Svelte 5: mount(), not `new App()` (a blank window otherwise).
const app = mount(App, { target: document.getElementById('app')! });

export default app;
