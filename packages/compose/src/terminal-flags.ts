// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';

/** `-T` of `exec` and `run`, and the `-t` docker compose accepts so that `-it` written as for docker keeps working. */
export const terminalFlags = {
  'no-tty': Flags.boolean({ char: 'T', aliases: ['no-TTY'], description: 'no pseudo-terminal, even when this one is a terminal' }),
  tty: Flags.boolean({ char: 't', hidden: true, description: 'a terminal is the default already' }),
};
