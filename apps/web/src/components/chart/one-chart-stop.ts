import { useEffect, useRef } from 'react';

/**
 * Leaves a recharts chart one keyboard stop (its root surface): recharts' layers are React portals, whose focus
 * listeners make Chromium stop on each `<g>` (unnamed, some zero-sized). Put the returned ref on the chart's wrapper.
 */
export function useOneChartStop<T extends HTMLElement>() {
  const wrapper = useRef<T>(null);
  useEffect(() => {
    const root = wrapper.current;
    if (!root) return;
    const quiet = () => {
      for (const g of root.querySelectorAll('svg g:not([tabindex])')) g.setAttribute('tabindex', '-1');
    };
    quiet();
    // Only children are watched: setting tabindex (an attribute) does not call back.
    const observer = new MutationObserver(quiet);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
  return wrapper;
}
