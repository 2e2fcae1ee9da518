import type { MethodSpec } from '../state.js';
import { appMethods } from './apps.js';
import { chatMethods } from './chat.js';
import { fileMethods } from './files.js';
import { viewMethods } from './views.js';
import { workspaceMethods } from './workspace.js';

/** Every Web API method the fake implements; anything else answers `unknown_method`. */
export const METHODS: Readonly<Record<string, MethodSpec>> = {
  ...workspaceMethods,
  ...chatMethods,
  ...viewMethods,
  ...fileMethods,
  ...appMethods,
};
