// The extension's output channel, as the language client writes to it. No `vscode` values here
// (types only), so this stays plain code.

import type * as vscode from 'vscode';

/**
 * vscode-languageclient logs "Server process exited with code 0." as an error whenever the
 * server process ends, a normal stop or restart included (the server exits with 0 after
 * `shutdown` and `exit`). Exit code 0 is a clean exit: it is logged as information instead. A
 * crash (another code, a signal, a closed connection) stays an error.
 */
export function isCleanExit(message: string): boolean {
  return /^Server process exited with code 0\.?$/.test(message);
}

/** The channel, with its last lines kept (the editor tests read them; the API has no other way). */
export function recordingChannel(
  output: vscode.OutputChannel,
  keep = 2000,
): { channel: vscode.OutputChannel; lines: string[] } {
  const lines: string[] = [];
  const record = (text: string): void => {
    lines.push(...text.split(/\r?\n/).filter((line) => line !== ''));
    if (lines.length > keep) lines.splice(0, lines.length - keep);
  };
  const channel = new Proxy(output, {
    get(target, property, receiver) {
      if (property === 'appendLine' || property === 'append')
        return (value: string) => {
          record(value);
          target[property](value);
        };
      if (property === 'replace')
        return (value: string) => {
          lines.length = 0;
          record(value);
          target.replace(value);
        };
      if (property === 'clear')
        return () => {
          lines.length = 0;
          target.clear();
        };
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { channel, lines };
}
