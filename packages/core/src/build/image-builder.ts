// SPDX-License-Identifier: Apache-2.0
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { inject, injectable, optional } from 'inversify';
import type { BuildOptions } from '../api/image-build.js';
import { EngineConfig } from '../config/engine-config.js';
import { ContainerCommitter } from '../container/container-committer.js';
import { ContainerService } from '../container/container-service.js';
import { ContentStore } from '../content/content-store.js';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError, NotImplementedError } from '../errors/engine-error.js';
import type { ImageConfig, ImageRunConfig } from '../image/image-config.js';
import { ImagePuller } from '../image/image-puller.js';
import type { ImageRecord } from '../image/image-record.js';
import { ImageStore } from '../image/image-store.js';
import { ImageWriter } from '../image/image-writer.js';
import type { ProgressListener } from '../image/shared-transfers.js';
import { familiarName, formatReference, parseImageReference } from '../registry/image-reference-parser.js';
import type { RegistryAuth } from '../registry/registry.js';
import { hostPlatform } from '../registry/platform-matcher.js';
import { resolveContainerUser } from '../runtime/container-user.js';
import { resolveInRoot } from '../runtime/resolve-in-root.js';
import { engineTmpDir } from '../shared/engine-tmp-dir.js';
import { contextSources, extractBuildContext } from './build-context.js';
import { applyConfigInstruction, CONFIG_INSTRUCTIONS, DEFAULT_SHELL, envEntries } from './config-instructions.js';
import { copyIntoRootfs, ensureDir } from './copy-into-rootfs.js';
import { parseDockerfile, type DockerfileInstruction } from './dockerfile-parser.js';
import { expandWord, expandWords, splitWords } from './shell-words.js';

type HistoryEntry = NonNullable<ImageConfig['history']>[number];

/** What the build has made so far in its (only) stage. */
interface Stage {
  /** The newest image with the stage's layers; undefined for `FROM scratch` before any layer. */
  image?: ImageRecord;
  platform: Pick<ImageConfig, 'architecture' | 'os' | 'variant'>;
  config: ImageRunConfig;
  /** History of config-only steps since {@link image}. */
  pending: HistoryEntry[];
  cmdSet: boolean;
  shell: string[];
  /** `ARG`s declared in the stage, with their values (unset ones are absent). */
  args: Map<string, string>;
}

export type BuildRequest = BuildOptions & { auth?: Record<string, RegistryAuth>; signal?: AbortSignal };

const KNOWN = new Set([...CONFIG_INSTRUCTIONS, 'FROM', 'RUN', 'COPY', 'ADD', 'ARG', 'SHELL', 'MAINTAINER']);

/**
 * Docker's classic builder (`POST /build`, `DOCKER_BUILDKIT=0 docker build`) over a context tar: each `RUN` runs
 * a container from the image so far and commits what it wrote as a layer; `COPY`/`ADD` copy context files into a
 * container that is never started, then commit; config instructions only change the config. One stage (a later
 * `FROM` starts over), no `COPY --from`, no build cache: every step runs each time. Intermediate images are not
 * kept; the result is one image with the layers of every step, reported in Docker's JSON stream.
 */
@injectable()
export class ImageBuilder {
  constructor(
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(ContainerCommitter) private readonly committer: ContainerCommitter,
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(ImagePuller) private readonly puller: ImagePuller,
    @inject(ImageWriter) private readonly writer: ImageWriter,
    @inject(ContentStore) private readonly content: ContentStore,
    @inject(EngineConfig) @optional() private readonly config?: EngineConfig,
  ) {}

  async build(context: Readable, request: BuildRequest, onProgress: ProgressListener): Promise<ImageRecord> {
    const tags = (request.tags ?? []).map((tag) => formatReference(parseImageReference(tag)));
    const say = (text: string) => {
      if (!request.quiet) onProgress({ stream: text });
    };
    const dir = await engineTmpDir(this.config, 'build');
    const intermediates = new Set<string>();
    try {
      const contextDir = join(dir, 'context');
      await mkdir(contextDir);
      await extractBuildContext(context, contextDir, request.signal);
      const dockerfilePath = request.dockerfile || 'Dockerfile';
      const text = await readFile(await resolveInRoot(contextDir, dockerfilePath), 'utf8').catch((cause: unknown) => {
        throw new NotFoundError(`Cannot locate specified Dockerfile: ${dockerfilePath}`, { cause });
      });
      const dockerfile = parseDockerfile(text);
      const { instructions, escape } = dockerfile;
      for (const instruction of instructions) {
        if (!KNOWN.has(instruction.keyword)) {
          throw new InvalidArgumentError(`Dockerfile parse error line ${instruction.line}: unknown instruction: ${instruction.keyword}`);
        }
      }
      if (instructions.length === 0) throw new InvalidArgumentError('the Dockerfile (Dockerfile) cannot be empty');
      const buildArgs = new Map(Object.entries(request.buildArgs ?? {}));
      const used = new Set<string>();
      const globalArgs = new Map<string, string>();
      let stage: Stage | undefined;
      for (const [index, instruction] of instructions.entries()) {
        request.signal?.throwIfAborted();
        say(`Step ${index + 1}/${instructions.length} : ${describe(instruction)}\n`);
        const variables = (): Map<string, string> => new Map([...(stage?.args ?? globalArgs), ...envEntries(stage?.config.Env)]);
        const fail = (message: string, Error: typeof InvalidArgumentError = InvalidArgumentError) =>
          new Error(`dockerfile line ${instruction.line}: ${instruction.keyword}: ${message}`);
        if (instruction.keyword === 'ARG') {
          for (const word of splitWords(instruction.args, escape)) {
            const at = word.indexOf('=');
            const name = at < 0 ? word : word.slice(0, at);
            const fallback = at < 0 ? undefined : expandWord(word.slice(at + 1), variables(), escape);
            const given = buildArgs.get(name);
            const value = given ?? (stage ? fallback ?? globalArgs.get(name) : fallback);
            if (buildArgs.has(name)) used.add(name);
            const scope = stage?.args ?? globalArgs;
            if (value === undefined) scope.delete(name);
            else scope.set(name, value);
          }
          continue;
        }
        if (instruction.keyword === 'FROM') {
          stage = await this.from(instruction, expandWords(instruction.args, globalArgs, escape), request, onProgress);
          say(` ---> ${shortId(stage.image?.id)}\n`);
          continue;
        }
        if (!stage) throw fail('no build stage in current context: the Dockerfile must begin with FROM (or ARG)');
        const current = stage;
        const history = (createdBy: string, emptyLayer: boolean): HistoryEntry => ({
          created: new Date().toISOString(),
          created_by: createdBy,
          ...(emptyLayer && { empty_layer: true }),
        });
        switch (instruction.keyword) {
          case 'RUN': {
            if (Object.keys(instruction.flags).length > 0) throw fail(`--${Object.keys(instruction.flags)[0]} requires BuildKit`, NotImplementedError);
            const command = instruction.json ?? [...current.shell, instruction.args];
            const env = [...(current.config.Env ?? []), ...[...current.args].filter(([name]) => !hasEnv(current.config.Env, name)).map(([n, v]) => `${n}=${v}`)];
            await this.layerStep(current, intermediates, request, say, command.join(' '), { command, env });
            break;
          }
          case 'COPY':
          case 'ADD': {
            const flags = instruction.flags;
            for (const flag of Object.keys(flags)) {
              if (flag === 'from') throw fail('--from is not supported: multi-stage builds are not supported', NotImplementedError);
              if (flag !== 'chown') throw fail(`--${flag} requires BuildKit`, NotImplementedError);
            }
            const words = instruction.json ?? splitWords(instruction.args, escape).map((word) => expandWord(word, variables(), escape));
            if (words.length < 2) throw fail('requires at least two arguments');
            const sources = words.slice(0, -1);
            let dest = words[words.length - 1];
            for (const source of sources) {
              if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
                throw instruction.keyword === 'COPY'
                  ? fail('source can\'t be a URL for COPY')
                  : fail(`remote sources are not supported (${source}): the engine fetches nothing from the network`, NotImplementedError);
              }
            }
            const matched = (await Promise.all(sources.map((source) => contextSources(contextDir, source)))).flat();
            const destIsDir = dest.endsWith('/') || matched.length > 1 || sources.length > 1;
            if ((sources.length > 1 || matched.length > 1) && !dest.endsWith('/')) {
              throw fail(`When using ${instruction.keyword} with more than one source file, the destination must be a directory and end with a /`);
            }
            dest = posix.resolve(current.config.WorkingDir || '/', dest);
            const chown = flags.chown ? expandWord(flags.chown, variables(), escape) : undefined;
            await this.layerStep(current, intermediates, request, say, `/bin/sh -c #(nop) ${instruction.keyword} ${words.join(' ')}`, {
              prepare: async (rootfs) => {
                const owner = chown ? await resolveContainerUser(rootfs, chown) : undefined;
                await copyIntoRootfs({
                  contextDir,
                  rootfs,
                  sources: matched,
                  dest,
                  destIsDir,
                  owner: owner && { uid: owner.uid, gid: owner.gid },
                  extractArchives: instruction.keyword === 'ADD',
                });
              },
            });
            break;
          }
          case 'SHELL':
            if (!instruction.json || instruction.json.length === 0) throw fail('requires the arguments to be in JSON form');
            current.shell = instruction.json;
            current.pending.push(history(`/bin/sh -c #(nop)  SHELL [${instruction.json.join(' ')}]`, true));
            break;
          case 'MAINTAINER':
            current.pending.push(history(`/bin/sh -c #(nop)  MAINTAINER ${instruction.args}`, true));
            break;
          default:
            applyConfigInstruction(current.config, instruction, { variables: variables(), escape, shell: current.shell, where: `dockerfile line ${instruction.line}: ` });
            if (instruction.keyword === 'CMD') current.cmdSet = true;
            if (instruction.keyword === 'ENTRYPOINT' && !current.cmdSet) current.config.Cmd = null;
            current.pending.push(history(`/bin/sh -c #(nop)  ${describe(instruction)}`, true));
        }
      }
      if (!stage) throw new InvalidArgumentError('the Dockerfile has no FROM instruction');
      const unused = [...buildArgs.keys()].filter((name) => !used.has(name));
      if (unused.length > 0) say(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
      const image = await this.finish(stage, request, tags);
      // Config-only steps since the last layer made this image: its id closes their output, as Docker's last step's does.
      if (image.id !== stage.image?.id) say(` ---> ${shortId(image.id)}\n`);
      onProgress({ aux: { ID: image.id } });
      // Quiet, the id is all the output, which the docker CLI prints as it comes.
      if (request.quiet) onProgress({ stream: `${image.id}\n` });
      say(`Successfully built ${shortId(image.id)}\n`);
      for (const tag of tags) say(`Successfully tagged ${familiarName(parseImageReference(tag))}\n`);
      intermediates.delete(image.id);
      return image;
    } finally {
      for (const id of intermediates) await this.forget(id);
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async from(instruction: DockerfileInstruction, words: string[], request: BuildRequest, onProgress: ProgressListener): Promise<Stage> {
    if (instruction.flags.platform) throw new NotImplementedError(`dockerfile line ${instruction.line}: FROM --platform is not supported`);
    const [name, as, , ...extra] = words;
    if (!name || (as !== undefined && (as.toLowerCase() !== 'as' || words.length !== 3)) || extra.length > 0) {
      throw new InvalidArgumentError(`dockerfile line ${instruction.line}: FROM requires either one or three arguments`);
    }
    const stage: Stage = { platform: pickPlatform(), config: {}, pending: [], cmdSet: false, shell: [...DEFAULT_SHELL], args: new Map() };
    if (name === 'scratch') return stage;
    let image = request.pull ? undefined : await this.images.resolve(name).catch(() => undefined);
    if (!image) {
      const reference = parseImageReference(name);
      image = await this.puller.pull(formatReference(reference), { auth: request.auth?.[reference.domain] }, onProgress, request.signal);
    }
    const config = await this.images.config(image);
    return { ...stage, image, platform: pickPlatform(config), config: structuredClone(config.config ?? {}) };
  }

  /**
   * A step that makes a layer: a container from the stage's image, `prepare`d (files copied in) and/or run, then
   * committed with the stage's config; the new image becomes the stage's.
   */
  private async layerStep(
    stage: Stage,
    intermediates: Set<string>,
    request: BuildRequest,
    say: (text: string) => void,
    createdBy: string,
    step: { prepare?: (rootfs: string) => Promise<void>; command?: string[]; env?: string[] },
  ): Promise<void> {
    const base = stage.image ?? (await this.emptyImage(stage, intermediates));
    const { config } = stage;
    const record = await this.containers.create({
      Image: base.id,
      Cmd: step.command ?? ['/bin/sh'],
      Entrypoint: [],
      Env: step.env ?? config.Env,
      WorkingDir: config.WorkingDir,
      User: step.command ? config.User : '',
      Labels: {},
      HostConfig: { NetworkMode: request.networkMode && request.networkMode !== 'default' ? request.networkMode : undefined },
    });
    let failed = true;
    try {
      const rootfs = await this.containers.rootfs(record);
      // As Docker's WORKDIR: the working directory exists in the image, made by the step that first needs it.
      if (config.WorkingDir) await ensureDir(rootfs, config.WorkingDir);
      await step.prepare?.(rootfs);
      if (step.command) {
        say(` ---> Running in ${record.id.slice(0, 12)}\n`);
        const exit = this.containers.wait(record.id, 'next-exit');
        const output = (async () => {
          for await (const entry of this.containers.logs(record.id, { follow: true, stdout: true, stderr: true }, request.signal)) {
            say(entry.data.toString('utf8'));
          }
        })();
        await this.containers.start(record.id);
        const [code] = await Promise.all([exit, output]);
        if (code !== 0) {
          throw new FailedPreconditionError(`The command '${step.command.join(' ')}' returned a non-zero code: ${code}`);
        }
      }
      const image = await this.committer.commit(record.id, { config, history: stage.pending, createdBy, pause: false, signal: request.signal });
      intermediates.add(image.id);
      stage.image = image;
      stage.pending = [];
      failed = false;
      say(` ---> Removed intermediate container ${record.id.slice(0, 12)}\n ---> ${shortId(image.id)}\n`);
    } finally {
      // As Docker: a failed step's container stays for inspection unless --force-rm.
      if (failed ? request.forceRm : request.rm !== false) await this.containers.remove(record.id, { force: true });
    }
  }

  /** An image with no layers, for the first layer of `FROM scratch`. */
  private async emptyImage(stage: Stage, intermediates: Set<string>): Promise<ImageRecord> {
    const image = await this.writer.write({ layers: [], config: { ...stage.platform, config: {} }, what: 'build' });
    intermediates.add(image.id);
    return image;
  }

  private async finish(stage: Stage, request: BuildRequest, tags: string[]): Promise<ImageRecord> {
    const labels = request.labels ?? {};
    if (stage.image && stage.pending.length === 0 && Object.keys(labels).length === 0) {
      // The last step's image is the result, as Docker's: nothing happened after its commit.
      for (const tag of tags) await this.images.add(stage.image, tag);
      return (await this.images.get(stage.image.id)) ?? stage.image;
    }
    const parentConfig = stage.image ? await this.images.config(stage.image) : undefined;
    const config: ImageRunConfig = { ...stage.config };
    if (Object.keys(labels).length > 0) config.Labels = { ...(config.Labels ?? {}), ...labels };
    const { rootfs: _rootfs, ...base } = parentConfig ?? { ...stage.platform, rootfs: undefined };
    return this.writer.write({
      parent: stage.image,
      layers: [],
      config: { ...base, created: new Date().toISOString(), config, history: [...(parentConfig?.history ?? []), ...stage.pending] },
      tags,
      what: 'build',
    });
  }

  /** Drops an intermediate image's record and config; its layers belong to the result. */
  private async forget(id: string): Promise<void> {
    const image = await this.images.get(id);
    if (!image || image.repoTags.length > 0) return;
    await this.images.remove(id);
    await Promise.all([this.content.delete(id), this.content.delete(image.manifestDigest)]).catch(() => undefined);
  }
}

/** The step as Docker echoes it: `RUN echo hi`. */
function describe(instruction: DockerfileInstruction): string {
  const flags = Object.entries(instruction.flags).map(([name, value]) => `--${name}=${value} `).join('');
  return `${instruction.keyword} ${flags}${instruction.args}`.trimEnd();
}

function shortId(id: string | undefined): string {
  return id ? id.replace(/^sha256:/, '').slice(0, 12) : 'scratch';
}

function hasEnv(env: string[] | undefined, name: string): boolean {
  return (env ?? []).some((entry) => entry.split('=', 1)[0] === name);
}

function pickPlatform(config?: ImageConfig): Stage['platform'] {
  const host = hostPlatform();
  return {
    architecture: config?.architecture ?? host.architecture,
    os: config?.os ?? host.os,
    ...((config?.variant ?? host.variant) !== undefined && { variant: config?.variant ?? host.variant }),
  };
}
