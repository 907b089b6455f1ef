// A popup (the account menu, the notifications) closes on a tap outside it and on Escape,
// which also gives the focus back to the button that opened it. A Svelte action on the
// popup's wrapper: use:dismissible={{ isOpen, close, button }} (functions).
export function dismissible(node, options) {
  let { isOpen, close, button } = options;
  const outside = (event) => {
    if (isOpen() && !node.contains(event.target)) close();
  };
  const escape = (event) => {
    if (isOpen() && event.key === 'Escape') {
      close();
      button?.()?.focus();
    }
  };
  document.addEventListener('click', outside);
  document.addEventListener('keydown', escape);
  return {
    update(next) {
      ({ isOpen, close, button } = next);
    },
    destroy() {
      document.removeEventListener('click', outside);
      document.removeEventListener('keydown', escape);
    },
  };
}
