// SPDX-License-Identifier: Apache-2.0

/** Daemon configuration: command-line flags over `<data-root>/daemon.json` over these defaults. */
export interface EngineConfig {
  /** Persistent state: images, layers, containers, plugins. */
  dataRoot: string;
  /** State that must not outlive a reboot: bundles, monitor sockets, pid files. */
  execRoot: string;
  /** Unix socket the API listens on. */
  socketPath: string;
  defaultRuntime?: string;
  /** Hosts (`host:port`) reached over plain HTTP. Loopback hosts always are, as with Docker. */
  insecureRegistries: string[];
  /** Mirrors tried before Docker Hub, as `https://mirror.example` URLs. */
  registryMirrors: string[];
  /** daemon.json's `max-concurrent-downloads`: layers a pull downloads (and unpacks) at once. */
  maxConcurrentDownloads?: number;
  /** daemon.json's `init`: run containers that do not set `HostConfig.Init` under an init. */
  init?: boolean;
  /** daemon.json's `init-path`: the init binary (default: `docker-init`, then `tini-static`, from PATH). */
  initPath?: string;
  /** daemon.json's `seccomp-profile`: a profile file, `unconfined`, or `builtin` (the default profile). */
  seccompProfile?: string;
  /** Per-plugin sections keyed `<type>.<id>`. */
  plugins: Record<string, Record<string, unknown>>;
  /** daemon.json's networking keys: the default bridge (`bridge` name, `bip` gateway/prefix), `dns`, pools. */
  network?: {
    bridge?: string;
    bip?: string;
    /** Resolvers the embedded DNS forwards unknown names to. */
    dns?: string[];
    addressPools?: { base: string; size: number }[];
  };
}

/** DI token for {@link EngineConfig}. */
export const EngineConfig = Symbol.for('tsc-engine:EngineConfig');

export const DEFAULT_SOCKET_PATH = '/run/tsc-engine/engine.sock';
export const DEFAULT_DATA_ROOT = '/var/lib/tsc-engine';
export const DEFAULT_EXEC_ROOT = '/run/tsc-engine';
