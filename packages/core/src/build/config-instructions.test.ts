// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageRunConfig } from '../image/image-config.js';
import { applyConfigInstruction } from './config-instructions.js';
import { parseDockerfile } from './dockerfile-parser.js';

describe('applyConfigInstruction', () => {
  it('expands build variables with the Dockerfile\'s escape character and shell', () => {
    const { instructions, escape } = parseDockerfile('# escape=`\nENV DIR=$BASE/app COST=`$5\nWORKDIR $BASE/app\nCMD run it\nHEALTHCHECK --retries=1 CMD true\n');
    const config: ImageRunConfig = {};
    const variables = new Map([['BASE', '/srv']]);
    for (const instruction of instructions) applyConfigInstruction(config, instruction, { variables, escape, shell: ['pwsh', '-c'] });
    assert.deepEqual(config, { Env: ['DIR=/srv/app', 'COST=$5'], WorkingDir: '/srv/app', Cmd: ['pwsh', '-c', 'run it'], Healthcheck: { Retries: 1, Test: ['CMD-SHELL', 'true'] } });
  });

  it('says where a failing instruction is', () => {
    const [instruction] = parseDockerfile('\nUSER a b\n').instructions;
    assert.throws(() => applyConfigInstruction({}, instruction, { variables: new Map(), where: 'dockerfile line 2: ' }), /^InvalidArgumentError: dockerfile line 2: USER requires exactly one argument$/);
  });
});
