/**
 * Hostile strings for file names and log fields, and what VS Code would make of them: the link
 * grammar of notifications and the icon grammar of labels (as VS Code 1.100 parses them), used as
 * the oracle in tests of the text the extension hands to VS Code.
 */

/** Internal ids for `auditlogs_<id>.json`: no `/`, so each is a valid file and object name. */
export const HOSTILE_NAMES = [
  '[x](command:workbench.action.terminal.new)',
  '[y](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)',
  '[f](file:x) [site](https:x)',
  '$(squirrel) $(sync~spin) 99.9 KiB',
  'evil\u202Enosj.exe\u2066x\u2069\u200F',
  '<img src=x onerror=alert(1)>',
] as const;

/** A service name from a record, the same way hostile. */
export const HOSTILE_SERVICE = '[svc](command:workbench.action.terminal.new)$(flame)\u202Eclusters';

/** VS Code's notification link grammar (parseLinkedText): the links a message would show. */
export function renderedLinks(text: string): string[] {
  const links = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
  return [...text.matchAll(links)].map((m) => m[2]!);
}

/** VS Code's label icon grammar (renderLabelWithIcons): the icons a label would show. */
export function renderedIcons(text: string): string[] {
  const icons = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;
  return [...text.matchAll(icons)].filter((m) => !m[1]).map((m) => m[2]!);
}
