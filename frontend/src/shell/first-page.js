// Whether the first page's code has arrived (or failed to). Requests that can wait — the
// bell's count, the storage check — go after it: on a slow line a browser asks for six files
// at a time (HTTP/1.1), and those would otherwise take the turn of what the page itself
// needs (a sheet opened cold asks for its data before its code is in: App.svelte).
let arrived;
export const firstPage = new Promise((resolve) => (arrived = resolve));
export const pageArrived = () => arrived();
