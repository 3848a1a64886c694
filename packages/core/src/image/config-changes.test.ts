// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyConfigChanges } from './config-changes.js';

describe('applyConfigChanges', () => {
  it('takes exec and shell forms, and ENTRYPOINT clears a Cmd no earlier change set', () => {
    assert.deepEqual(applyConfigChanges({}, ['CMD ["cat","/hello"]']), { Cmd: ['cat', '/hello'] });
    assert.deepEqual(applyConfigChanges({}, ['cmd echo $HOME']), { Cmd: ['/bin/sh', '-c', 'echo $HOME'] });
    assert.deepEqual(applyConfigChanges({ Cmd: ['sh'] }, ['ENTRYPOINT ["top"]']), { Cmd: null, Entrypoint: ['top'] });
    assert.deepEqual(applyConfigChanges({ Cmd: ['sh'] }, ['CMD ["-b"]', 'ENTRYPOINT ["top"]']), { Cmd: ['-b'], Entrypoint: ['top'] });
  });

  it('sets ENV (both forms, expanding earlier values) and LABEL, replacing what was there', () => {
    const config = applyConfigChanges({ Env: ['PATH=/bin', 'A=old'] }, ['ENV A=new B="two words" PATH=$PATH:/opt/bin', 'ENV C ${B:-x} here', "LABEL a=1 'b c'=\"d\""]);
    assert.deepEqual(config.Env, ['PATH=/bin:/opt/bin', 'A=new', 'B=two words', 'C=two words here']);
    assert.deepEqual(config.Labels, { a: '1', 'b c': 'd' });
  });

  it('sets EXPOSE (ranges and protocols), VOLUME (both forms), USER, STOPSIGNAL and a relative WORKDIR', () => {
    const config = applyConfigChanges({ WorkingDir: '/srv' }, ['EXPOSE 80 53/udp 8000-8001', 'VOLUME ["/data"]', 'VOLUME /a /b', 'USER 1000:1000', 'STOPSIGNAL SIGINT', 'WORKDIR app']);
    assert.deepEqual(config.ExposedPorts, { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} });
    assert.deepEqual(config.Volumes, { '/data': {}, '/a': {}, '/b': {} });
    assert.equal(config.User, '1000:1000');
    assert.equal(config.StopSignal, 'SIGINT');
    assert.equal(config.WorkingDir, '/srv/app');
  });

  it('sets HEALTHCHECK and ONBUILD', () => {
    assert.deepEqual(applyConfigChanges({}, ['HEALTHCHECK --interval=5s --retries=2 CMD ["true"]']).Healthcheck, { Interval: 5e9, Retries: 2, Test: ['CMD', 'true'] });
    assert.deepEqual(applyConfigChanges({}, ['HEALTHCHECK CMD wget -q localhost || exit 1']).Healthcheck, { Test: ['CMD-SHELL', 'wget -q localhost || exit 1'] });
    assert.deepEqual(applyConfigChanges({}, ['HEALTHCHECK NONE']).Healthcheck, { Test: ['NONE'] });
    assert.deepEqual(applyConfigChanges({}, ['ONBUILD RUN make']).OnBuild, ['RUN make']);
  });

  it('refuses what Docker refuses, naming it', () => {
    assert.throws(() => applyConfigChanges({}, ['RUN echo hi']), /^InvalidArgumentError: RUN is not a valid change command$/);
    assert.throws(() => applyConfigChanges({}, ['EXPOSE eighty']), /invalid containerPort: eighty/);
    assert.throws(() => applyConfigChanges({}, ['ENV A=b C']), /can't find = in "C"/);
    assert.throws(() => applyConfigChanges({}, ['USER']), /USER requires exactly one argument/);
    assert.throws(() => applyConfigChanges({}, ['ONBUILD FROM x']), /FROM isn't allowed as an ONBUILD trigger/);
  });

  it('leaves the config it was given alone', () => {
    const base = { Env: ['A=1'] };
    applyConfigChanges(base, ['ENV A=2']);
    assert.deepEqual(base, { Env: ['A=1'] });
  });
});
