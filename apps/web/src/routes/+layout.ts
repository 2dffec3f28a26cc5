// Everything is rendered in the browser from IndexedDB; see TOOLCHAIN.md for
// why there is no `prerender` here (adapter-static's fallback page is the shell).
export const ssr = false;
