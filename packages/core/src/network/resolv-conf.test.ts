// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerResolvConf, upstreamNameservers, validateDnsSettings } from './resolv-conf.js';

const HOST = '# host file\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch corp.example\noptions edns0\n';
const legacy = { kind: 'legacy', fallbackNameservers: ['8.8.8.8'] } as const;

describe('container resolv.conf', () => {
  it("keeps the host's file without loopback servers on the default bridge", () => {
    assert.equal(containerResolvConf(HOST, {}, legacy), 'nameserver 10.0.0.2\nsearch corp.example\noptions edns0\n# host file\n');
    assert.equal(containerResolvConf('nameserver 127.0.0.1\n', {}, legacy), 'nameserver 8.8.8.8\n');
  });

  it("puts the user's servers, search domains and options over the host's", () => {
    const dns = { Dns: ['192.0.2.1'], DnsSearch: ['a.example', 'b.example'], DnsOptions: ['ndots:2', 'timeout:1'] };
    assert.equal(containerResolvConf(HOST, dns, legacy), 'nameserver 192.0.2.1\nsearch a.example b.example\noptions ndots:2 timeout:1\n# host file\n');
    assert.equal(containerResolvConf(HOST, { DnsSearch: ['.'] }, { kind: 'host' }), 'nameserver 127.0.0.53\nnameserver 10.0.0.2\noptions edns0\n# host file\n');
  });

  it('lists only the embedded resolver on user networks, with ndots:0 unless one is given', () => {
    const embedded = { kind: 'embedded', nameserver: '172.18.0.1' } as const;
    assert.equal(containerResolvConf('nameserver 10.0.0.2\n', {}, embedded), 'nameserver 172.18.0.1\noptions ndots:0\n');
    assert.equal(
      containerResolvConf('', { Dns: ['127.0.0.77'], DnsSearch: ['svc.example'], DnsOptions: ['ndots:3'] }, embedded),
      'nameserver 172.18.0.1\nsearch svc.example\noptions ndots:3\n',
    );
  });

  it("forwards to the host's IPv4 resolvers that are not loopback", () => {
    assert.deepEqual(upstreamNameservers(`${HOST}nameserver 2001:db8::53\nnameserver ::1\n  nameserver 10.0.0.3  \n`), ['10.0.0.2', '10.0.0.3']);
    assert.deepEqual(upstreamNameservers(''), []);
  });

  it('checks servers and domains as docker does', () => {
    validateDnsSettings({ Dns: ['192.0.2.1', '2001:db8::1'], DnsSearch: ['example.com', '.', 'a-b.example.'] });
    assert.throws(() => validateDnsSettings({ Dns: ['dns.example'] }), /bad nameserver address dns.example/);
    assert.throws(() => validateDnsSettings({ DnsSearch: ['-bad.example'] }), /-bad.example is not a valid domain/);
  });
});
