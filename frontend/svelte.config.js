/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  compilerOptions: {
    // Every component uses runes ($state, $derived, $props); no legacy mode.
    runes: true,
  },
};
