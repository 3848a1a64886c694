// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { packBuildContext } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';
import { keyValueMap } from '../key-value-map.js';
import { ProgressPrinter } from '../progress-printer.js';

export default class Build extends EngineCommand {
  static override summary = 'Build an image from a Dockerfile';
  static override description =
    "Runs Docker's classic builder in the daemon: FROM, RUN, COPY, ADD (local files), ENV, ARG, WORKDIR, CMD, " +
    "ENTRYPOINT, EXPOSE, LABEL, USER, VOLUME, STOPSIGNAL, SHELL, HEALTHCHECK, ONBUILD (recorded; a base image's triggers are " +
    'not run); one stage, no build cache. .dockerignore is honoured.';
  static override aliases = ['image:build', 'builder:build'];
  static override args = {
    context: Args.string({ required: true, description: 'build context directory' }),
  };
  static override flags = {
    tag: Flags.string({ char: 't', multiple: true, multipleNonGreedy: true, description: 'name and optionally a tag in the name:tag format' }),
    file: Flags.string({ char: 'f', description: "name of the Dockerfile (default: 'PATH/Dockerfile')" }),
    'build-arg': Flags.string({ multiple: true, multipleNonGreedy: true, description: 'set build-time variables (NAME=value, or NAME to take it from the environment)' }),
    label: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'set metadata for an image' }),
    quiet: Flags.boolean({ char: 'q', description: 'suppress the build output and print image ID on success' }),
    rm: Flags.boolean({ description: 'remove intermediate containers after a successful build', default: true, allowNo: true }),
    'force-rm': Flags.boolean({ description: 'always remove intermediate containers' }),
    network: Flags.string({ description: 'networking mode for the RUN instructions during build' }),
    pull: Flags.boolean({ description: 'always attempt to pull a newer version of the image' }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Build);
    const client = await this.connect(flags);
    const context = await packBuildContext(args.context, flags.file);
    const printer = new ProgressPrinter(process.stdout, process.stdout.isTTY === true);
    // Quiet, the daemon's only output is the image id.
    await client.buildImage(
      context.tar,
      {
        tags: flags.tag,
        dockerfile: context.dockerfile,
        // `NAME` alone takes the value from this environment (left unset when it has none).
        buildArgs: keyValueMap(flags['build-arg'], (name) => process.env[name] ?? null),
        labels: keyValueMap(flags.label),
        quiet: flags.quiet,
        rm: flags.rm,
        forceRm: flags['force-rm'],
        networkMode: flags.network,
        pull: flags.pull,
      },
      (message) => {
        if (message.stream !== undefined) process.stdout.write(message.stream);
        else if (message.status) printer.print(message);
      },
    );
  }
}
