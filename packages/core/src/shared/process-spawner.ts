// SPDX-License-Identifier: Apache-2.0
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { InternalError } from '../errors/engine-error.js';
import { pythonPath } from '../snapshot/special-file-batch.js';

/** One run-to-completion command: no streaming, so its whole output comes back in one answer. */
export interface SpawnerJob {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string | Buffer;
}

/** How a job ended; a job that could not be started rejects instead, with spawn's error (ENOENT). */
export interface SpawnerJobResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
}

interface Answer {
  id: number;
  code?: number | null;
  signal?: NodeJS.Signals | null;
  stdout?: string;
  stderr?: string;
  error?: { code: string; errno: number; message: string };
}

interface Pending {
  job: SpawnerJob;
  resolve: (result: SpawnerJobResult) => void;
  reject: (error: Error) => void;
}

/*
 * The spawner: a thread per job, each a subprocess.Popen, which on Linux starts the child with vfork (CPython >= 3.10),
 * so the cost does not grow with anyone's memory. Frames both ways are a 4-byte big-endian length then JSON; byte
 * strings travel as base64. It exits when its stdin closes, that is when the daemon is gone, however it died.
 */
const SPAWNER_SCRIPT = String.raw`
import base64, errno, json, os, signal, struct, subprocess, sys, threading
inp, out, lock = sys.stdin.buffer, sys.stdout.buffer, threading.Lock()
# A Ctrl-C or a SIGTERM to the daemon's process group must not take the spawner away while the daemon shuts down and
# still runs helpers: a Python-level handler (unlike SIG_IGN) is reset on exec, so the helpers get the default.
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP): signal.signal(s, lambda *_: None)
def answer(msg):
    data = json.dumps(msg).encode()
    with lock:
        out.write(struct.pack('>I', len(data)) + data)
        out.flush()
def b64(b): return base64.b64encode(b).decode()
def signame(n):
    try: return signal.Signals(n).name
    except ValueError: return 'SIG%d' % n
def start(job, data):
    try:
        return subprocess.Popen([job['file']] + job['args'], executable=job['file'], env=job['env'], cwd=job.get('cwd'),
                                stdin=subprocess.DEVNULL if data is None else subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        answer({'id': job['id'], 'error': {'code': errno.errorcode.get(e.errno or 0, 'EIO'), 'errno': -(e.errno or errno.EIO),
                                           'message': e.strerror or str(e)}})
def run(job):
    try:
        data = base64.b64decode(job['input']) if job.get('input') is not None else None
        p = start(job, data)
        if p is None: return
        try:
            o, e = p.communicate(data)
        except BrokenPipeError:  # it exited without reading all its input: what it printed still counts
            o, e = p.stdout.read(), p.stderr.read()
            p.wait()
        rc = p.returncode
        answer({'id': job['id'], 'code': rc if rc >= 0 else None, 'signal': signame(-rc) if rc < 0 else None,
                'stdout': b64(o), 'stderr': b64(e)})
    except Exception as e:  # an answer for every job, whatever went wrong
        answer({'id': job['id'], 'error': {'code': 'EIO', 'errno': -errno.EIO, 'message': 'spawner: %r' % e}})
while True:
    head = inp.read(4)
    if len(head) < 4: os._exit(0)
    (n,) = struct.unpack('>I', head)
    job = json.loads(inp.read(n))
    threading.Thread(target=run, args=(job,), daemon=True).start()
`;

type SpawnerChild = ChildProcessByStdio<Writable, Readable, null>;

/**
 * A small long-lived python3 process that starts the daemon's short helper processes (`ip`, `iptables`, `mount`,
 * CNI plugins, `runc state/start/delete`) for it. libuv starts children with fork(), which blocks the daemon's main
 * thread while the kernel copies its page tables — milliseconds per spawn for a ~100 MB Node process, tens of them
 * per `compose down`. Handing the job to the spawner costs the main thread one pipe write.
 *
 * Started on the first job; when it dies, the jobs it was running fail (they may have run, so they are not
 * retried) and the next job starts a new one. Idle, it keeps no reference on the event loop, so it never keeps the
 * daemon (or a test) alive.
 */
export class ProcessSpawner {
  private child: SpawnerChild | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffered: Buffer = Buffer.alloc(0);
  private starting: Promise<SpawnerChild> | undefined;

  constructor(private readonly python: () => Promise<string> = pythonPath) {}

  async run(job: SpawnerJob): Promise<SpawnerJobResult> {
    const child = await this.start();
    const id = this.nextId++;
    const frame = Buffer.from(JSON.stringify({
      id,
      file: job.file,
      args: job.args,
      env: definedEntries(job.env),
      cwd: job.cwd,
      input: job.input === undefined ? undefined : Buffer.from(job.input).toString('base64'),
    }));
    const header = Buffer.alloc(4);
    header.writeUInt32BE(frame.length);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { job, resolve, reject });
      this.setReferenced(child, true);
      child.stdin.write(Buffer.concat([header, frame]));
    });
  }

  /** Starts the spawner unless it runs; rejects with spawn's error (ENOENT) when python3 cannot be started. */
  async ready(): Promise<void> {
    await this.start();
  }

  /** The spawner's pid, if it is running; tests use it to kill it. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops the spawner; jobs still running fail. */
  close(): void {
    this.child?.stdin.end();
  }

  private start(): Promise<SpawnerChild> {
    if (this.child) return Promise.resolve(this.child);
    this.starting ??= this.python()
      .then(async (python) => {
        const child = spawn(python, ['-I', '-S', '-c', SPAWNER_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
        this.child = child;
        this.buffered = Buffer.alloc(0);
        // A write to a dead spawner fails here and in 'close' below, which fails the jobs.
        child.stdin.on('error', () => undefined);
        child.on('error', (error) => this.died(child, error.message));
        child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
        child.on('close', (code, signal) => this.died(child, signal ? `killed by ${signal}` : `exit status ${code}`));
        this.setReferenced(child, false);
        // A python3 that cannot be started fails here, before any job is handed to it.
        await once(child, 'spawn');
        return child;
      })
      .finally(() => (this.starting = undefined));
    return this.starting;
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      if (this.buffered.length < 4 + length) return;
      const answer = JSON.parse(this.buffered.subarray(4, 4 + length).toString('utf8')) as Answer;
      this.buffered = this.buffered.subarray(4 + length);
      this.settle(answer);
    }
  }

  private settle(answer: Answer): void {
    const pending = this.pending.get(answer.id);
    if (!pending) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0 && this.child) this.setReferenced(this.child, false);
    if (answer.error) {
      pending.reject(spawnError(pending.job, answer.error));
      return;
    }
    pending.resolve({
      code: answer.code ?? null,
      signal: answer.signal ?? null,
      stdout: Buffer.from(answer.stdout ?? '', 'base64'),
      stderr: Buffer.from(answer.stderr ?? '', 'base64'),
    });
  }

  private died(child: SpawnerChild, reason: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const { job, reject } of jobs) {
      reject(new InternalError(`process spawner exited (${reason}) while running ${job.file}; it may or may not have run`));
    }
  }

  /** Holds the event loop open only while jobs are in flight. */
  private setReferenced(child: SpawnerChild, referenced: boolean): void {
    for (const handle of [child, child.stdin, child.stdout] as { ref(): void; unref(): void }[]) {
      if (referenced) handle.ref();
      else handle.unref();
    }
  }
}

/** The error `child_process.spawn` gives for a command it cannot start, so callers check `code === 'ENOENT'` as before. */
function spawnError(job: SpawnerJob, error: NonNullable<Answer['error']>): NodeJS.ErrnoException {
  const syscall = `spawn ${job.file}`;
  return Object.assign(new Error(`${syscall} ${error.code}`), {
    code: error.code,
    errno: error.errno,
    syscall,
    path: job.file,
    spawnargs: job.args,
  });
}

function definedEntries(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
