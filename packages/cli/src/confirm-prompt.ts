// SPDX-License-Identifier: Apache-2.0
import { createInterface } from 'node:readline/promises';

/** Docker's prune prompt: only `y` or `yes` proceeds; end of input is a no. */
export async function confirmPrompt(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await Promise.race([prompt.question(question), new Promise<string>((resolve) => prompt.once('close', () => resolve('')))]);
    return ['y', 'yes'].includes(answer.trim().toLowerCase());
  } finally {
    prompt.close();
  }
}
