import { button } from './blocks.js';

/** A button that runs `/ph <command>` as the person who clicks it: list rows use it for "Use", "Show", "More". */
export const RUN_COMMAND_ACTION = 'hogbot_run';

export function runButton(text: string, commandText: string, style?: 'primary' | 'danger') {
  return button({ text, actionId: RUN_COMMAND_ACTION, value: commandText, ...(style ? { style } : {}) });
}
