/**
 * The only module that knows about @vscode/webview-ui-toolkit (archived upstream): swapping it
 * for @vscode-elements/elements means changing this file and ui/components.ts, nothing else.
 */
import { provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeDivider, vsCodeDropdown, vsCodeOption, vsCodeProgressRing, vsCodeTextField } from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextField(), vsCodeDropdown(), vsCodeOption(), vsCodeProgressRing(), vsCodeBadge(), vsCodeDivider());
}

export const TAGS = {
  button: 'vscode-button',
  textField: 'vscode-text-field',
  dropdown: 'vscode-dropdown',
  option: 'vscode-option',
  progressRing: 'vscode-progress-ring',
  badge: 'vscode-badge',
  divider: 'vscode-divider',
} as const;
