/** Why a page cannot draw what it was sent: the problems as a list screen readers announce. */
import { element } from './grid';

export function problemList(problems: readonly string[]): HTMLElement {
  const list = element('ul', 'problems');
  list.setAttribute('role', 'alert');
  for (const problem of problems) list.append(Object.assign(element('li', ''), { textContent: problem }));
  return list;
}
