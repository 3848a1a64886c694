// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDockerfile, parseInstruction } from './dockerfile-parser.js';
import { expandWord, expandWords, splitWords } from './shell-words.js';

describe('parseDockerfile', () => {
  it('joins continuation lines, skips comments and blank lines, and keeps each instruction\'s first line', () => {
    const { instructions, escape } = parseDockerfile(
      ['# leading comment', '', 'from busybox AS base', 'RUN echo a \\', '  # a comment inside the continuation', '', '  && echo b', 'CMD ["sh", "-c", "x"]', 'ENV A=1'].join('\n'),
    );
    assert.equal(escape, '\\');
    assert.deepEqual(
      instructions.map(({ keyword, args, line }) => [keyword, args, line]),
      [
        ['FROM', 'busybox AS base', 3],
        ['RUN', 'echo a   && echo b', 4],
        ['CMD', '["sh", "-c", "x"]', 8],
        ['ENV', 'A=1', 9],
      ],
    );
    assert.deepEqual(instructions[2].json, ['sh', '-c', 'x']);
    assert.equal(instructions[1].json, undefined);
  });

  it('honours the escape directive and ignores directives after the first instruction', () => {
    const { instructions, escape } = parseDockerfile('# escape=`\nFROM x\nRUN dir c:\\ `\n  && echo done\n# escape=\\\n');
    assert.equal(escape, '`');
    assert.equal(instructions[1].args, 'dir c:\\   && echo done');
    assert.throws(() => parseDockerfile('# escape=x\nFROM a\n'), /invalid escape token/);
  });

  it('takes --flags off COPY, ADD, FROM and RUN only, and leaves shell-form JSON look-alikes alone', () => {
    const copy = parseInstruction('COPY --chown=1:2 --link a b/');
    assert.deepEqual(copy.flags, { chown: '1:2', link: 'true' });
    assert.equal(copy.args, 'a b/');
    assert.deepEqual(parseInstruction('ENV --x=1').flags, {});
    assert.equal(parseInstruction('CMD [not json]').json, undefined);
    assert.equal(parseInstruction('CMD ["a", 1]').json, undefined);
  });
});

describe('shell words', () => {
  const variables = new Map([['A', 'one'], ['EMPTY', ''], ['SP', 'x y']]);

  it('splits at unquoted white space, keeping quotes for expansion', () => {
    assert.deepEqual(splitWords('a="b c" d\\ e \'f g\''), ['a="b c"', 'd\\ e', "'f g'"]);
  });

  it('expands $VAR, ${VAR} and the modifiers, not inside single quotes', () => {
    assert.equal(expandWord('$A-${A}_$UNSET.', variables), 'one-one_.');
    assert.equal(expandWord('${UNSET:-def} ${EMPTY:-def} ${EMPTY-def} ${A:+alt} ${UNSET:+alt}', variables), 'def def  alt ');
    assert.equal(expandWord('"$A \\"q\\"" \'$A\' \\$A', variables), 'one "q" $A $A');
    assert.throws(() => expandWord('${UNSET:?must be set}', variables), /UNSET: must be set/);
    assert.throws(() => expandWord('"open', variables), /double-quote/);
  });

  it('keeps an expanded value one word', () => {
    assert.deepEqual(expandWords('$SP "b c"', variables), ['x y', 'b c']);
    assert.equal(expandWord('a`$A', variables, '`'), 'a$A');
  });
});
