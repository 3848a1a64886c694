// SPDX-License-Identifier: Apache-2.0
import { createInterface } from 'node:readline';

/** Asks one line on the terminal; `hidden` echoes nothing of what is typed (a password). */
export function promptLine(question: string, options: { hidden?: boolean } = {}): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (options.hidden) {
    // readline echoes through _writeToOutput; once the question is out, nothing typed is written back.
    const internals = prompt as unknown as { _writeToOutput(text: string): void };
    let asked = false;
    internals._writeToOutput = (text: string) => {
      if (!asked) process.stdout.write(text);
      asked = true;
    };
  }
  return new Promise((resolve) => {
    let answered = false;
    prompt.question(question, (answer) => {
      answered = true;
      if (options.hidden) process.stdout.write('\n');
      prompt.close();
      resolve(answer);
    });
    prompt.once('close', () => answered || resolve(''));
  });
}

/** All of stdin, as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
