// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { ComposeEngineCommand } from '../../compose-engine-command.js';

export default class ComposeBuild extends ComposeEngineCommand {
  static override summary = 'Build or rebuild the images of services';
  static override description =
    "Builds each service that has a build: section with the engine's Dockerfile builder, tagged with the service's " +
    'image: or <project>-<service>. One stage (build.target is refused); there is no build cache, so --no-cache changes nothing.';
  static override strict = false;
  static override usage = 'compose build [OPTIONS] [SERVICE...]';
  static override flags = {
    pull: Flags.boolean({ description: 'always attempt to pull a newer version of the FROM images' }),
    'no-cache': Flags.boolean({ description: 'do not use cache when building the image (there is no build cache: accepted for compatibility)' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeBuild);
    await this.converger(await this.loadProject(flags), flags).build(argv as string[], { pull: flags.pull });
  }
}
