// SPDX-License-Identifier: Apache-2.0
import { existsSync, readFileSync } from 'node:fs';
import { NotFoundError } from '@tsc-engine/core/client';
import { dirname, resolve } from 'node:path';
import type { ComposeProject, ServiceConfig } from '../compose-model.js';
import { ExtendsResolver } from './apply-extends.js';
import { checkProject } from './check-project.js';
import { ComposeFileLoader, type ComposeFile } from './compose-file-loader.js';
import { parseDotenv } from './dotenv.js';
import type { VariableLookup } from './interpolation.js';
import { mergeModels } from './merge.js';
import { normalizeProject } from './normalize-project.js';
import { checkProjectName, findDefaultComposeFiles, projectNameFromDirectory } from './project-files.js';
import { isRawMap, stripTags, type RawMap } from './raw-value.js';
import { resolveModelPaths } from './resolve-paths.js';
import { loadSchemaValidator, type SchemaValidator } from './schema-validator.js';
import { composeError, formatPosition, SourceIndex } from './source-position.js';
import { unsupportedKeys } from './supported-keys.js';

/** What `tsc-engine compose`'s global flags and the environment say about the project to load. */
export interface LoadProjectOptions {
  /** `-f`, in order; `-` reads standard input. Default: COMPOSE_FILE, else compose.yaml & co. */
  files?: string[];
  /** `-p`. Default: COMPOSE_PROJECT_NAME, else the files' `name:`, else the project directory's name. */
  projectName?: string;
  /** `--project-directory`. Default: the directory of the first file. */
  projectDirectory?: string;
  /** `--profile`. Default: COMPOSE_PROFILES (comma-separated). `*` enables every profile. */
  profiles?: string[];
  /** `--env-file`. Default: `.env` in the project directory, when present. */
  envFiles?: string[];
  /** Host environment (process.env); it wins over .env files. */
  environment?: Record<string, string | undefined>;
  /** Where relative `-f` paths start. Default: process.cwd(). */
  cwd?: string;
  /** Text of `-f -`. */
  stdin?: () => string;
}

export interface LoadedProject {
  project: ComposeProject;
  /** Things the user should know (unset variables, keys tsc-engine ignores, obsolete `version`). */
  warnings: string[];
}

const SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

/**
 * Loads a compose project as docker compose does: files found and merged, `.env` and interpolation, `extends`
 * and `include`, short syntaxes normalised, schema and semantic checks, profiles applied. Every error names the
 * file, line and key at fault.
 */
export async function loadProject(options: LoadProjectOptions = {}): Promise<LoadedProject> {
  const cwd = options.cwd ?? process.cwd();
  const hostEnv = options.environment ?? process.env;
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(message);

  // COMPOSE_* settings may come from the .env of the directory the command runs in.
  const explicitEnvFiles = options.envFiles?.length ? options.envFiles.map((f) => resolve(cwd, f)) : undefined;
  for (const file of explicitEnvFiles ?? []) {
    if (!existsSync(file)) throw new NotFoundError(`env file ${file} not found`, { hint: 'check the --env-file path' });
  }
  const earlyEnv = envWithDotenv(hostEnv, explicitEnvFiles ?? [resolve(cwd, options.projectDirectory ?? '', '.env')]);
  const files = (options.files?.length ? options.files
    : earlyEnv.COMPOSE_FILE ? earlyEnv.COMPOSE_FILE.split(earlyEnv.COMPOSE_PATH_SEPARATOR || ':').filter(Boolean)
      : findDefaultComposeFiles(options.projectDirectory ?? cwd)).map((f) => (f === '-' ? f : resolve(cwd, f)));
  const workingDir = resolve(cwd, options.projectDirectory ?? (files[0] === '-' ? cwd : dirname(files[0])));
  const env = envWithDotenv(hostEnv, explicitEnvFiles ?? [resolve(workingDir, '.env')]);

  const explicitName = options.projectName ?? env.COMPOSE_PROJECT_NAME;
  const fallbackName = explicitName ?? projectNameFromDirectory(workingDir);
  // ${COMPOSE_PROJECT_NAME} is usable in the files even when the name comes from the directory.
  const lookup: VariableLookup = (name) => env[name] ?? (name === 'COMPOSE_PROJECT_NAME' ? fallbackName : undefined);

  const sources = new SourceIndex();
  const validate = await loadSchemaValidator();
  const model = loadModel(files, workingDir, { lookup, warn, sources, validate, cwd, stdin: options.stdin, home: env.HOME }, []);
  if ('version' in model) warn('the attribute `version` is obsolete, it will be ignored');

  const name = options.projectName !== undefined ? checkProjectName(options.projectName, '-p')
    : env.COMPOSE_PROJECT_NAME ? checkProjectName(env.COMPOSE_PROJECT_NAME, 'COMPOSE_PROJECT_NAME')
      : typeof model.name === 'string' && model.name !== '' ? checkProjectName(model.name, 'the name: key')
        : checkProjectName(fallbackName, `the directory ${workingDir}`);

  const all = normalizeProject(structuredClone(model), { projectName: name, workingDir, composeFiles: files, lookup, sources });
  const project = applyProfiles(all, options.profiles?.length ? options.profiles : (env.COMPOSE_PROFILES ?? '').split(',').filter(Boolean));
  checkProject(project, sources);
  for (const path of unsupportedKeys(project)) {
    const where = formatPosition(sources.find(path));
    warn(`${where ? `${where}: ` : ''}${path.join('.')}: not supported by tsc-engine, it will be ignored`);
  }
  return { project, warnings };
}

interface ModelContext {
  lookup: VariableLookup;
  warn: (message: string) => void;
  sources: SourceIndex;
  validate: SchemaValidator;
  cwd: string;
  home: string | undefined;
  stdin?: () => string;
}

/** Files merged in order, each with its `extends` and `include` applied, paths resolved against `workingDir`. */
function loadModel(files: string[], workingDir: string, ctx: ModelContext, includeChain: string[]): RawMap {
  const loader = new ComposeFileLoader(ctx);
  const resolver = new ExtendsResolver(loader, ctx.home);
  let merged: RawMap = {};
  for (const path of files) {
    const file = loader.load(path);
    const model = applyIncludes(file, resolver.apply(file), ctx, [...includeChain, path]);
    merged = mergeModels(merged, model);
  }
  const model = stripTags(merged) as RawMap;
  resolveModelPaths(model, workingDir, ctx.home);
  return model;
}

/**
 * `include:` entries: each is loaded as its own project (own directory and .env) and its resources are added to
 * this file's, a name defined on both sides being an error as the spec asks.
 */
function applyIncludes(file: ComposeFile, model: RawMap, ctx: ModelContext, chain: string[]): RawMap {
  const { include, ...rest } = model;
  if (!Array.isArray(include)) return model;
  const out: RawMap = { ...rest };
  for (const [i, entry] of include.entries()) {
    const at = ['include', i];
    const spec = isRawMap(entry) ? entry : { path: entry };
    const paths = (Array.isArray(spec.path) ? spec.path : [spec.path]).map((p) => resolve(file.dir, String(p)));
    const cyclic = paths.find((p) => chain.includes(p));
    if (cyclic) throw composeError(file.locations.find(at), at, `include cycle: ${[...chain, cyclic].join(' -> ')}`);
    const dir = typeof spec.project_directory === 'string' ? resolve(file.dir, spec.project_directory) : dirname(paths[0]);
    const envFiles = spec.env_file === undefined ? [resolve(dir, '.env')]
      : (Array.isArray(spec.env_file) ? spec.env_file : [spec.env_file]).map((f) => resolve(file.dir, String(f)));
    const own = envWithDotenv({}, envFiles, ctx.lookup);
    const lookup: VariableLookup = (name) => ctx.lookup(name) ?? own[name];
    const included = loadModel(paths, dir, { ...ctx, lookup }, chain);
    for (const section of SECTIONS) {
      const into = isRawMap(out[section]) ? { ...(out[section] as RawMap) } : {};
      for (const [name, value] of Object.entries(isRawMap(included[section]) ? included[section] : {})) {
        if (name in into && JSON.stringify(into[name]) !== JSON.stringify(value)) {
          throw composeError(file.locations.find([section, name]), [section, name],
            `conflicts with the ${section.slice(0, -1)} of the same name imported from ${paths.join(', ')}`);
        }
        into[name] = value;
      }
      if (Object.keys(into).length > 0) out[section] = into;
    }
  }
  return out;
}

/** `env` under the variables of the dotenv files that exist (host variables win). */
function envWithDotenv(env: Record<string, string | undefined>, files: string[], outer: VariableLookup = (n) => env[n]): Record<string, string | undefined> {
  const fromFiles: Record<string, string> = {};
  for (const file of files) {
    if (!existsSync(file)) continue;
    const lookup: VariableLookup = (n) => outer(n) ?? fromFiles[n];
    for (const [k, v] of parseDotenv(readFileSync(file, 'utf8'), lookup, file)) fromFiles[k] = v;
  }
  return { ...fromFiles, ...env };
}

/**
 * Keeps the services with no profile or an active one (`*` activates all). The others are kept aside in
 * `disabledServices`, so a dependency on one of them can be reported as such.
 */
function applyProfiles(project: ComposeProject, active: string[]): ComposeProject {
  const all = project.services;
  const isActive = (s: ServiceConfig) => !s.profiles?.length || active.includes('*') || s.profiles.some((p) => active.includes(p));
  const enabled = new Set(Object.keys(all).filter((name) => isActive(all[name])));
  const services: Record<string, ServiceConfig> = {};
  const disabledServices: Record<string, ServiceConfig> = {};
  for (const [name, service] of Object.entries(all)) (enabled.has(name) ? services : disabledServices)[name] = service;
  return { ...project, services, disabledServices };
}
